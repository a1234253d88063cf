"""What the registry tests share: a valid credit code, a registered enterprise and a report."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from carbonpeak.services.registry_fields import credit_code_check_digit
from carbonpeak.services.registry_life import open_entry


def credit_code(serial: str) -> str:
    """A unified social credit code with a correct check digit (GB 32100)."""
    first = f"91640000MA{serial:0>7}"[:17]
    return first + credit_code_check_digit(first)


def register_power_plant(
    engine: Engine, code: str = "nd_power", opened: str = "2020-01-01"
) -> None:
    """An open thermal power enterprise with one unit and one coal meter."""
    open_entry(
        engine,
        "enterprise",
        {
            "code": code,
            "credit_code": credit_code(str(abs(hash(code)) % 10**7)),
            "name_zh": "宁东测试电厂",
            "name_en": "Ningdong test power plant",
            "sector": "4411",
            "opened_on": opened,
        },
        "office",
    )
    open_entry(
        engine,
        "facility",
        {
            "enterprise": code,
            "code": "unit1",
            "name_zh": "1号机组",
            "product": "electricity",
            "capacity": "660",
            "capacity_unit": "MW",
            "sector": "4411",
        },
        "office",
    )


def report(code: str = "nd_power", period: str = "2024-06", coal: str = "100000") -> pd.DataFrame:
    """A month's report of the power plant: coal burnt and electricity supplied."""
    rows = [
        ("bituminous_coal", "energy_input", "fuel", coal, "t"),
        ("electricity", "electricity_supplied", "", "200000", "MWh"),
    ]
    return pd.DataFrame(
        [
            {
                "enterprise": code,
                "facility": "unit1",
                "sector": "4411",
                "period": period,
                "item": item,
                "role": role,
                "purpose": purpose,
                "quantity": quantity,
                "unit": unit,
            }
            for item, role, purpose, quantity, unit in rows
        ]
    )


TODAY = date(2026, 12, 5)
