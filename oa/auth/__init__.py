"""Sign-in, sessions, tokens and the authorisation rules."""
