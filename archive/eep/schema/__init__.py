"""Holds eep-2009.xsd; a package so that setuptools' ``"*.xsd"`` package-data rule ships the schema."""
