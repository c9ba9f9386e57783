"""Dialogs: adding scans and lesions, overrides, adjudication, readers, settings, backups,
import.
"""
