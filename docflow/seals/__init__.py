"""The electronic seal (用印): each unit's ES256 key, the signature over a document's canonical form, and its check."""
