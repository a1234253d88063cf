"""Reference data: standard-coal coefficients, fuel defaults, grid and heat factors, benchmarks.

Values live in versioned files under ``carbonpeak/data/reference/<kind>/``, one file per edition of
a source, each record with its source, validity period and verification status.
"""

from carbonpeak.factors.catalogue import (
    ReferenceDataError,
    dataset_files,
    load_all,
    load_dataset,
    parse_dataset,
    read_dataset,
    resolve_reference_value,
)
from carbonpeak.factors.model import (
    CarrierCoefficient,
    DatasetKind,
    EfficiencyLevel,
    ElectricityFactor,
    FuelParameters,
    HeatFactor,
    IndustryClass,
    Measured,
    Parameter,
    ReferenceDataset,
    ReferenceRecord,
    Status,
)

__all__ = [
    "CarrierCoefficient",
    "DatasetKind",
    "EfficiencyLevel",
    "ElectricityFactor",
    "FuelParameters",
    "HeatFactor",
    "IndustryClass",
    "Measured",
    "Parameter",
    "ReferenceDataError",
    "ReferenceDataset",
    "ReferenceRecord",
    "Status",
    "dataset_files",
    "load_all",
    "load_dataset",
    "parse_dataset",
    "read_dataset",
    "resolve_reference_value",
]
