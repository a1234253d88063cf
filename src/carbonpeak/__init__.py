"""carbonpeak: a regional carbon-peak implementation plan as a working management system."""

__version__ = "0.1.0"
