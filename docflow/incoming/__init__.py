"""Incoming documents (收文): 签收, 登记, 初审, 承办, 传阅, 催办, 答复 and 办结 at the receiving unit."""
