"""Life events a person tells of in their own words: a death (of their spouse, or of someone else
close), a divorce, a lost job. The reply acknowledges them in one pre-approved sentence before the
facts (`acknowledgement`), and never shows a fact the person has just contradicted (a spouse who
died shown as the default beneficiary: `spouse_died`)."""

from __future__ import annotations

import re

_CLOSE = r"(wife|husband|spouse|partner|mom|mother|dad|father|son|daughter|brother|sister|child|parent|grandma|grandpa|grandmother|grandfather)"
_SPOUSE = r"(wife|husband|spouse)"
SPOUSE_DIED = re.compile(
    rf"\bmy (late )?{_SPOUSE}\b.{{0,40}}\b(died|passed|death|killed|is gone)\b"
    rf"|\b(lost|losing) my {_SPOUSE}\b|\bsince my {_SPOUSE} (died|passed)\b|\bi(?:'?m| am) (a |now a )?widow(er)?\b|\bwidowed\b",
    re.I,
)
DEATH = re.compile(
    rf"\bmy (late )?{_CLOSE}\b.{{0,40}}\b(died|passed|death|killed)\b|\b(lost|losing) my {_CLOSE}\b|\bwidow",
    re.I,
)
DIVORCE = re.compile(
    r"\b(getting|got|just|recently|am|i'm|being) (a )?divorced?\b|\bmy divorce\b|\bdivorcing\b"
    r"|\b(my ex and i|my (wife|husband|spouse) and i|we) (split up|separated|broke up|split(?=\s*([.,;!?]|$|"
    r"(last|this|in|a|two|three|four|five|six|several|few|after|when|recently|up)\b)))\b|\bgot separated\b",
    re.I,
)
DIVORCE_WORDS = re.compile(
    r"\bdivorc|\bqdro\b|\bex[- ]?(wife|husband|spouse)\b|\bseparated\b|\bmy ex\b|\b(split|broke) up\b|\b(and i|we) split\b",
    re.I,
)
"""a divorce spoken of, told or not ("If my wife and I split up ..."): the divorce rules are the topic"""
JOB_LOSS = re.compile(
    r"\b(i was|i got|i've been|i have been|just got|just been|was just) (laid off|let go|fired)\b"
    r"|\blost my job\b|\bmy (job|position) (was|got) (cut|eliminated)\b",
    re.I,
)
EVENTS = (("death", DEATH), ("divorce", DIVORCE), ("job_loss", JOB_LOSS))
BLOCKS = {"death": "condolence_death", "divorce": "acknowledge_divorce", "job_loss": "acknowledge_job_loss"}
"""the pre-approved sentence (text_blocks.yaml) that acknowledges each event"""


_HYPOTHETICAL = re.compile(r"\b(if|when|in case|suppose|what if|should)\b[^.?!]{0,25}$", re.I)


def _told(rx: re.Pattern[str], text: str) -> bool:
    """The pattern matches something the person says happened (not "if my wife died ...")."""
    return any(not _HYPOTHETICAL.search(text[: m.start()]) for m in rx.finditer(text))


def told_event(text: str) -> str | None:
    """death | divorce | job_loss, when the message tells of one; else None."""
    return next((name for name, rx in EVENTS if _told(rx, text)), None)


def spouse_died(text: str) -> bool:
    return _told(SPOUSE_DIED, text)


def acknowledgement(text: str) -> str | None:
    """The text block that acknowledges the life event the message tells of, if any."""
    event = told_event(text)
    return BLOCKS[event] if event else None


HEIR = re.compile(
    r"\b(named|left|listed|put|made) me\b.{0,40}\b(beneficiar\w*|401\s?\(?k\)?|403\s?\(?b\)?|ira|account|"
    r"retirement|pension|his|her|their)"
    r"|\bi(?:'?m| am| was)\b.{0,20}\bbeneficiary (of|on|for|to) (his|her|their|my \w+'s)\b"
    r"|\bi(?:'?m| am| was)( the)? (his|her|their|my \w+'s) (sole |only |primary |main |named )?beneficiary\b"
    r"|\bi (just )?inherit(ed)?\b|\binherit(ed|ing) (an?|his|her|their|my \w+'s)\b"
    r"|\b(left|gave|willed|passed) (it|them|the account|the money|his \w+|her \w+|their \w+) (down )?to me\b"
    r"|\b(an|my|the|this|our) inherited (traditional |roth )?(iras?|401\s?\(?k\)?|403\s?\(?b\)?|accounts?)\b",
    re.I,
)
"""the person is the heir of someone else's account ("my brother died and named me on his 401k"):
the rules for inherited accounts answer, not how to name one's own beneficiary"""


CLAIM = re.compile(
    r"\b(claim|collect|get|receive|cash out|roll over|inherit|do with|do about|handle|happens? to|happen with)\b"
    r".{0,20}\b(his|her|their|my (late )?\w+'s) "
    r"(401\s?\(?k\)?|403\s?\(?b\)?|457(\(b\))?|ira|roth( ira)?|account|pension|retirement|money|benefits?)\b",
    re.I,
)
"""claiming a dead person's account ("My dad died last month. How do I claim his 403b?" got "if a
beneficiary you named has died, name a new one"); a widow claiming her husband's account is an heir too,
and so is a widower asking what to do with his wife's ("my wife passed away last month. what do I need
to do with her 401k?" got how to name a new beneficiary of his own account)"""


ANOTHERS_ACCOUNT = re.compile(
    r"\b(his|her|their|my (late )?(husband|wife|spouse|partner)'s)\s+(401\s?\(?k\)?|403\s?\(?b\)?|457(\(b\))?|iras?|roth( ira)?|accounts?|pension|"
    r"retirement|plan|money)\b",
    re.I,
)
"""the dead person's own account named ("I'm the beneficiary of his 401k")"""


RELATIVE_DIED = re.compile(
    r"\b(mom|mother|dad|father|parents?|grandmother|grandfather|grandma|grandpa|aunt|uncle|brother|sister|son|"
    r"daughter|friend|cousin)\b.{0,20}\b(died|passed( away)?|has passed)\b",
    re.I,
)
DECEDENTS_RMD = re.compile(
    r"\b(this|that) year'?s (rmd|required minimum distribution|required distribution)\b|\b(his|her|their) "
    r"(rmds?|required minimum distributions?)\b|\bbefore (taking|he took|she took|they took) (the |this year'?s |his "
    r"|her |their )?(rmd|required)",
    re.I,
)
"""the year-of-death RMD of a relative who died ("dad died in march at 80 before taking this year's RMD. who has to
take it?" got the RMD document's section on missed RMDs, under the gate): the heir's rule"""


def heir_of_another(text: str, part: str | None = None) -> bool:
    """The person asks as the heir of someone else's account, not as a widowed owner (whose own
    beneficiary playbook answers). A widow who names her husband's account is an heir ("My husband
    passed away last month. I'm the beneficiary of his 401k. What are my options?" got how to name a
    new beneficiary of her own account). `part`: the one question of a several-part message being
    answered; the death is told anywhere in `text`, the heir's question is asked in the part ("do I have
    to start taking money out of my 403b now? and what do I do with her ira?": the first part is about
    his own 403(b))."""
    asked = part or text
    if RELATIVE_DIED.search(text) and DECEDENTS_RMD.search(asked):
        return True
    return bool(CLAIM.search(asked) and told_event(text) == "death") or (
        bool(HEIR.search(asked)) and (not spouse_died(text) or bool(ANOTHERS_ACCOUNT.search(asked)))
    )


ANOTHER_PERSON = re.compile(
    r"\b(my|our) (mom|mother|dad|father|parents?|grandmother|grandfather|grandma|grandpa|aunt|uncle|wife|husband|"
    r"spouse|partner|son|daughter|brother|sister|friend|client|neighbou?r)'s\s+(401\s?\(?k\)?|403\s?\(?b\)?|457(\(b\))?|"
    r"iras?|roth( ira)?|rmds?|required minimum|accounts?|pension|balance|loan|catch-?up|contributions?|vesting)\b"
    r"|\b(she|he|they) (has|have|needs?|must|is required|are required) to (take|start|begin|withdraw)\b"
    r"|\b(her|his|their) (rmds?|required minimum distributions?|first rmd|catch-?up|contribution limit)\b"
    r"|\bpower of attorney (for|over|of) (my|our) \w+\b",
    re.I,
)
"""a question about another living person's account or figures ("I have power of attorney for my mom.
When does she have to take her RMD?" got the asker's own RMD age, 75 in 2063)"""


def for_another(text: str) -> bool:
    """The question is about someone else's account (not as their heir): no playbook of the person's
    own figures answers it, only the rules as the documents state them."""
    return bool(ANOTHER_PERSON.search(text))
