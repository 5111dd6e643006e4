"""Intake (接收) by the unit's archivist: the four checks on arrival, accept with 档号 and 锁定签名, or reject."""
