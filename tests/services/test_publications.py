"""Published accounts stay frozen; restatements are new versions with a reason."""

import pandas as pd
import pytest
from sqlalchemy import Engine

from carbonpeak.accounting import account, parse_activity
from carbonpeak.services.publications import (
    PublicationError,
    compare_with_publication,
    publications,
    publish,
    restate_publication,
)
from carbonpeak.storage import upgrade

ROWS = pd.DataFrame(
    {
        "enterprise": ["E1", "E1", "E2"],
        "sector": ["2614", "2614", "4411"],
        "period": ["2022-01", "2022-02", "2022-01"],
        "item": ["electricity", "bituminous_coal", "natural_gas"],
        "role": ["energy_input"] * 3,
        "quantity": ["1000", "500", "20"],
        "unit": ["MWh", "t", "万Nm3"],
    }
)


def test_publish_freeze_compare_restate(engine: Engine) -> None:
    upgrade(engine)
    activity = parse_activity(ROWS, "history.csv")
    first = publish(engine, account(activity, "ningxia"), "2022-annual")
    assert (first.version, first.factor_set, len(first.results)) == (1, "ningxia", 3)
    with pytest.raises(PublicationError, match="already published"):
        publish(engine, account(activity, "northwest"), "2022-annual")

    report = compare_with_publication(engine, "2022-annual", account(activity, "northwest"))
    changed = report.changes.set_index(["enterprise", "period"])
    assert changed.loc[("E1", "2022-01"), "co2_total_t_change"] == pytest.approx(
        1000 * (0.5857 - 0.6423)
    )
    assert changed.loc[("E2", "2022-01"), "co2_total_t_change"] == pytest.approx(0)
    assert [f["source"] for f in report.factors_added] == [
        "mee_nbs_electricity@2022:northwest_average"
    ]

    with pytest.raises(PublicationError, match="needs a reason"):
        restate_publication(engine, "2022-annual", account(activity, "northwest"), " ")
    with pytest.raises(PublicationError, match="change nothing"):
        restate_publication(engine, "2022-annual", account(activity, "ningxia"), "no reason")
    second = restate_publication(
        engine,
        "2022-annual",
        account(activity, "northwest"),
        "office adopts the regional grid factor",
    )
    assert (second.version, second.supersedes_version) == (2, 1)

    versions = publications(engine, "2022-annual")
    assert [p.version for p in versions] == [1, 2]
    # Version 1 is unchanged: frozen history.
    pd.testing.assert_frame_equal(versions[0].results, first.results)
    assert versions[0].factor_set == "ningxia"
    assert versions[1].reason == "office adopts the regional grid factor"


def test_compare_with_unknown_publication(engine: Engine) -> None:
    upgrade(engine)
    with pytest.raises(PublicationError, match="nothing is published"):
        compare_with_publication(engine, "nope", account(parse_activity(ROWS), "ningxia"))
