"""Every XML namespace and fixed identifier the export writes, in one place.

The DILCIS extension namespaces are case-sensitive (`DILCIS`, not `dilcis`): a validator matches them
byte for byte, so they are spelled once here and imported everywhere else.
"""

from __future__ import annotations

TRANSFER_LIST = "urn:xiangshan-oa:archive:transfer-list:1"

METS = "http://www.loc.gov/METS/"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS = "http://www.loc.gov/premis/v3"

METS_NSMAP = {"mets": METS, "csip": CSIP, "sip": SIP, "xlink": XLINK, "xsi": XSI}
PREMIS_NSMAP = {"premis": PREMIS, "xsi": XSI}

# The profile URL the E-ARK SIP 2.1 profile document itself declares (and rule SIP2 demands).
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"

SOFTWARE_NAME = "象山 OA"
SOFTWARE_VERSION = "0.1.0"

# How the packages are described to systems outside China, which know no DA/T 48 vocabulary.
EEP_FORMAT_NAME = "DA/T 48-2009 电子文件封装包 (EEP)"
EEP_FORMAT_VERSION = "2009"
EEP_MIMETYPE = "application/xml"


def qname(namespace: str, local: str) -> str:
    """Clark notation, `{namespace}local`, as lxml spells qualified names."""
    return f"{{{namespace}}}{local}"
