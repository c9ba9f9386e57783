"""CDISC SDTM: the study as DM, TU, TR and RS datasets (CSV and SAS transport), and read back
from them.
"""
