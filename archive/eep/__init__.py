"""DA/T 48-2009 electronic-record encapsulation packages (EEP): build, sign, verify, lock, revise, extract.

Pure of databases: functions take paths or binary streams. Entry points: ``builder.build_package``,
``revision.build_revision``, ``verify.verify_package``, ``extract.extract_package``,
``lock.apply_lock_signature``; keys in ``signing.PackageSigner``; the XSD in ``schema/eep-2009.xsd``.
"""
