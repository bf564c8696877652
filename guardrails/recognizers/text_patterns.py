"""Regex building blocks shared by several recognizers (Presidio matches with the `regex` module,
so \\p{Lu} is any capital letter: Latin, Greek, Cyrillic)."""

from __future__ import annotations

import regex as re

CASE_SENSITIVE = re.DOTALL | re.MULTILINE
"""Presidio's default flags less IGNORECASE, for recognizers whose words are case-sensitive ("the way" is not "Way")"""
LETTERS = r"\p{L}\p{M}"
"""any letter or combining mark, to build character classes"""
NOT_NAME = (
    r"(?!(?:Form|Forms|Publication|Pub|Chapter|Section|Sec|Table|Worksheet|Schedule|Line|Lines|Part|Box|Page|"
    r"Pages|Step|Figure|Exhibit|Appendix|Article|Item|Notice|Rev|Proc|Cat|No|Code|Title|Plan|Tier|Level|Year|"
    r"Years|Age|Ages|Option|Question|Example|Rule|Note|Chart|Lesson|Fund|Funds|Class|Series|Target|Index|Q)\b)"
)
"""words of tax forms and plan documents that precede numbers ("2025 Form 5329", "48 Publication 590")"""
MONTHS_DAYS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
"""a month or weekday written in full (a date, not a street name or a person)"""
