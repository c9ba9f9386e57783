"""The study file: the only SQL in Nadir (the Store, its schema, audit trail, lock and backups)."""
