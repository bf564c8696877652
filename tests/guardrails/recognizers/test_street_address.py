"""StreetAddressRecognizer: street addresses: US, European and lower-case forms, military and PO boxes.

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
StreetAddressRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.street_address import StreetAddressRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = StreetAddressRecognizer

HITS = [
    (
        "Please mail the check to 1420 Maple Street, Apt 4B, Springfield, IL 62704",
        "STREET_ADDRESS",
        "1420 Maple Street",
    ),
    ("send it to 28030 Edeby 55\n Apt. 297\n TYSTBERGA\n Sweden 99178", "STREET_ADDRESS", "Edeby 55"),
    ("PSC 1437, Box 3833\nAPO AA 66791", "STREET_ADDRESS", "Box 3833"),
    # European street forms: a name and a building number, a street type before or after the name
    ("Ship it to 87818 Dalmatinova 68, Zagreb", "STREET_ADDRESS", "Dalmatinova 68"),
    ("my address is Via dei Fiorentini 17, Firenze", "STREET_ADDRESS", "Fiorentini 17"),
    ("Please send it to 6614 Luite tee 87\n Apt. 931\n Salumäe\n Estonia 62031", "STREET_ADDRESS", "Luite tee 87"),
    # the region and postcode lines after a street line are part of the address
    ("I moved to Kopfhölzistrasse 45 Suite 652\nFORT-DE-FRANCE\n, MQ\n France 42755", "STREET_ADDRESS", "42755"),
    ("We live at the corner of Dalbraut 99 and Frederikke Coves", "STREET_ADDRESS", "Frederikke Coves"),
    ("USNV Botolen\nFPO AE 12382", "STREET_ADDRESS", "Botolen"),
    # a house number, a capitalised name and a building number is an address without a context word
    ("It is at 87818 Dalmatinova 68.", "STREET_ADDRESS", "Dalmatinova 68"),
    # text typed all in lower case
    ("meet me at 2407 tawastintie 6, sé, portugal", "STREET_ADDRESS", "tawastintie 6"),
    ("send the check to my home, 12 oak street, springfield", "STREET_ADDRESS", "12 oak street"),
    # a named street without a number
    ("I still get mail on Marina Fort Street", "STREET_ADDRESS", "Marina Fort"),
]

NEAR_MISSES = [
    "Section 4.2 of the Acme plan says loans are repaid over 5 years.",
    "The way to change my contribution is on the portal.",
    # tax-form and plan-document numbers are not street addresses
    "Enter the amount from your 2025 Form 5329, line 1.",
    "Send me Form 1099-R for 2025.",
    "I live in Section 8 housing; can I get a hardship withdrawal?",
    "I moved my savings to the Vanguard 500 Index Fund",
    "The Target Retirement 2045 fund holds 90% stocks.",
    "My home office is in Building 4 on the Acme campus.",
    "Should I place Vanguard 500 in my Roth?",
    # headlines and page headers are not addresses
    "5 Musicians Of The 70s You're Supposed To Hate",
    "Chapter 1 Traditional IRAs 5",
    # lower-case text
    "i moved 3 times in 2 years, does my vesting reset?",
    "enter the amount from your 2025 form 8606, line 19",
    "i have 2 kids and 3 dogs, can i name them as beneficiaries?",
    # an ordinary noun after "at" is not a street
    "The OPI Service is available at Taxpayer Assistance Centers.",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
