"""The exchange between nodes: signed XML messages carrying 公文 and their receipts (回执).

Pure code only: building and parsing the envelope, node signatures (JWS), the node directory, the ordered
receive checks, receipts and the retry schedule. The outbox, the inbox and the HTTP endpoint that call these
live elsewhere; they start from `receive.check_incoming`, `signing.sign_message`, `envelope.build_envelope`,
`receipts.build_receipt` and `retry.next_attempt_at`.
"""
