"""Attachments (附件) of outgoing documents: uploaded files stored once by content hash, with their digests."""
