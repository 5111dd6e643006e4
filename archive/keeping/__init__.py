"""Keeping what the archive holds: the catalogue tables, the write-once package store, the signing keys, the
retention table and the fixity audit."""
