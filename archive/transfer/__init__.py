"""归档移交: the registrar of a unit turns finished documents into signed EEP packages and hands them to the archive."""
