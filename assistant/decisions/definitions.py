"""Questions a topic's playbook does not answer. A plan or retirement-rules term asked as a definition:
"What's a QDRO?", "what does vesting mean"; and how long a payment takes to arrive.

Routing gives such a question its topic however sure the classifier's out-of-scope reading
(`assistant/understanding/routing.py`, `PLAN_TERM`). The composer answers a term its topic's playbook
does not explain with the sentences that define it (the relevance gate), not with the playbook of the
person's own figures ("what is a true-up?" got the match calculator); an RMD, a catch-up or a hardship
withdrawal is explained by its playbook, with the person's own dates and limits."""

from __future__ import annotations

import re

_ASKED = r"^(?!.*\b(my|mine|i|me)\b)\s*(what('s|s| is| are)|define|explain|meaning of)\b.{0,20}\b({terms})\b|^(?!.*\b(my|mine|i|me)\b).*\bwhat does\b.{{0,30}}\b({terms})\b.{{0,10}}\bmean"
_PLAYBOOK_TERMS = (
    r"rmds?|required (minimum distributions?|beginning date)|catch[- ]ups?|hardship (withdrawals?|distributions?)"
)
_OTHER_TERMS = (
    r"qdros?|qualified domestic relations orders?|vest(ing|ed)|true[- ]?ups?|safe[- ]harbou?r|"
    r"in[- ]service (withdrawals?|distributions?)|loan offsets?|auto(matic)?[- ](enrollment|escalation)|designated roth|"
    r"forfeitures?|spousal consent|blackout periods?|summary plan description|spd|qaca|eaca|saver'?s credit"
)


def _asked(terms: str) -> re.Pattern[str]:
    return re.compile(_ASKED.replace("{terms}", terms).replace("{{", "{").replace("}}", "}"), re.I)


PAY_COMPONENT = re.compile(
    r"\b(bonus(es)?|overtime|commissions?|severance|shift differentials?|tips|pto|vacation pay(out)?|sick pay)\b", re.I
)
"""a kind of pay asked about ("how is the match calculated if I get a bonus?" got the person's match at their rate): the
plan's section on what counts as eligible pay, quoted whole, not the topic's figures"""

PART_TIME = re.compile(
    r"\bpart[- ]?time\b|\bfewer (hours|shifts|days)\b|\b(hours|schedule|shifts) ((are|were|is|was|get|got|being) ){0,2}"
    r"(cut|reduced)\b|\b(cut|reduc|lower|drop)\w* (back )?(on )?(my |our )?(hours|shifts|schedule)\b",
    re.I,
)
"""going part time or having one's hours cut ("what happens to my 403b match if I go part time?" got the person's match
figures; "my boss cut my shifts to 3 days a week, will I still get the match?" too): the plan's eligibility rules
(who may contribute, the hours the match needs) and the hours a vesting year needs"""
PART_TIME_TOPICS = frozenset({"match", "vesting", "eligibility", "enrollment"})
HOURS = re.compile(r"\b(part[- ]time|hours?|waiting period)\b", re.I)
"""what a plan's sentence on going part time speaks of"""

PLAN_TERM = _asked(f"{_PLAYBOOK_TERMS}|{_OTHER_TERMS}")
"""a plan or retirement-rules term asked as a definition ("What's a QDRO?" read 0.7+ out of scope)"""
UNEXPLAINED_BY_PLAYBOOK = _asked(_OTHER_TERMS)
"""... one that its topic's playbook does not explain: answered with the sentences that define it"""

BOTH_ACCOUNTS = re.compile(
    r"\bboth\b.{0,40}\b(ira|iras|roth ira)\b|\b(ira|roth ira)\b.{0,40}\bas well\b"
    r"|\b(ira|iras|roth ira)\b.{0,40}\b(at the same time|at once|simultaneously|too)\b"
    r"|\b(ira|iras|roth ira)\b.{0,30}\b(if|when|while|though|but)\b.{0,30}\b(401|403|457|workplace|work|employer)"
    r"|\b(have|open|contribute to|fund)\b.{0,20}\b(an? |my )?(traditional |roth )?ira\b.{0,10}\b(and|plus)\b.{0,10}\b(a |my )?(401|403|457)"
    r"|\b(reduce|lower|affect|count against)\b.{0,30}\b(what|how much) i can (put|contribute|save)\b.{0,20}\bira\b",
    re.I,
)
"""saving in a workplace plan and an IRA at once ("Can I contribute to both a 401k and an IRA?"): the
limits playbook gives the plan's own limit; the sentence that answers says the two limits are separate"""

ROLLOVER_RULE = re.compile(r"\b60[- ]days?\b|\bindirect roll[- ]?overs?\b", re.I)
"""one rule of moving money ("what's the 60 day rule for rollovers?" got "I couldn't find this", then the
leaving table, which does not state it): the sentence that states the rule, not the playbook's choices"""

ROLLOVER_TAX = re.compile(r"\b(tax\w*|owe|irs|penalt\w*|withh[eo]ld\w*)\b", re.I)
"""whether a rollover is taxed ("do I have to pay taxes when I roll over my 401k to an IRA" got the IRA's investment
choices, the rollover document's best section by the query): its section on how to roll over and its taxes"""
ROLL_TAXED = re.compile(
    r"^(?=.*\broll\w*)(?=.*\b(tax\w*|owe)\b)(?!.*\b(leave|leaving|left|quit\w*|options?|choices?)\b)", re.I
)
"""whether rolling money is taxed, asked alone ("do I pay taxes when I roll my 401k into a roth ira?" got the leaving
table, whose "a direct rollover is not taxed" is wrong for a Roth IRA): the rollover document's section on its taxes"""

LEAVE_DEADLINE = re.compile(
    r"\bhow (long|much time)\b.{0,40}\b(decide|choose|make up my mind|move|roll\w*|leave|keep|wait)\b"
    r"|\b(deadline|time limit)\b.{0,40}\b(decide|choose|move|roll\w*)\b|\b(forever|indefinitely)\b",
    re.I,
)
"""how long money may stay in the old plan, or a choice wait ("how long do I have to decide what to do with my 401k
after I leave" got the leaving table, which never says): the plan's sentences on leaving money in the plan"""
PAYMENT_FORM = re.compile(
    r"^(?!.*\bpensions?\b).*\b(lump[- ]sums?|installments?|(monthly|periodic|annual|regular) (payments?|payouts?|checks?|withdrawals?))\b",
    re.I,
)
"""how the money can be paid out ("I'm retiring in march, should I take a lump sum or monthly payments?" got "I
couldn't find this"): the plan's sentence on the forms of payment, not the playbook's leaving choices (which list
a cash payment, not installments)"""

LEAVE_OF_ABSENCE = re.compile(
    r"\b(maternity|paternity|parental|family|medical|unpaid|military|disability|sick) leave\b|\bleaves? of absence\b"
    r"|\bfmla\b|\bsabbatical\b|\bfurlough\w*\b|\bon leave\b",
    re.I,
)
"""a leave of absence ("I'm going on maternity leave in march, what happens to my 401k contributions and match?" got
the match figures at the person's rate): only a sentence that speaks of such a leave answers; the plans' documents
here have none, so the reply is that they don't say, with the contact"""

QCD = re.compile(r"\bqcds?\b|\bqualified charitable distributions?\b|\b(give|giving|donat\w*)\b.{0,40}\bchari\w*", re.I)
"""a qualified charitable distribution, or giving to charity from an account: the RMD document's sentences on it,
not the RMD playbook's dates ("can I do a QCD from my 403b?")"""

PAYMENT_TIMING = re.compile(
    r"^(?!.*\b(penalt\w*|tax\w*|age|old|retire\w*|vest\w*|59|55|rmds?|repay\w*|pay (it )?back)\b)"
    r".*\b(how long|how soon|how quickly|how many (business )?days)\b"
    r"(?=.{0,60}\b(money|check|cheque|funds|payment|payout|deposit|distribution|withdrawal|loan)\b)"
    r"(?=.{0,60}\b(get|receive|see|arrives?|hits?|lands?|shows? up|comes? through|paid out|pays? out)\b)"
    r"|^(?!.*\b(repay\w*|pay (it )?back)\b).*\bhow long\b.{0,30}\b(withdrawals?|distributions?|rollovers?|payouts?|transfers?)\b"
    r".{0,20}\b(take|process|processed)\b",
    re.I,
)
"""how long a payment takes to arrive ("how long does it take to get my money after I request a
withdrawal?" got the list of hardship reasons): answered by a sentence that says it, or "I don't know"
with the contact; how soon money comes out without the 10% additional tax is the playbook's (the age)"""

PLAN_FEATURE = re.compile(
    r"\b(does|do|will|would|can|could|if|whether) (my|our) (plan|employer|company|job|work|401\s?\(?k\)?|403\s?\(?b\)?|"
    r"457(\s?\(?b\)?)?)('s plan)? (allows?|offers?|ha(s|ve)(?! to\b)|lets?|permits?|provides?|accepts?)\b",
    re.I,
)
"""whether the asker's own plan offers something ("how do I know if my plan allows after-tax
contributions?"): only that plan's documents answer it, so without a plan the reply asks which plan
(an IRS page on excess IRA contributions was quoted); "does my employer have to match?" is a question
of law, not of one plan"""


ACCOUNT_TYPES = [
    (re.compile(r"\broth iras?\b", re.I), "general/roth-ira"),
    (re.compile(r"\bsep(-| )?iras?\b|\bsep plans?\b", re.I), "general/sep-ira"),
    (re.compile(r"\bsimple iras?\b", re.I), "general/simple-ira"),
    (re.compile(r"\b(solo|individual|one-participant) 401\s?\(?k\)?", re.I), "general/solo-401k"),
    (re.compile(r"(?<!roth )(?<!sep )(?<!sep-)(?<!simple )\b(traditional )?iras?\b", re.I), "general/traditional-ira"),
    (re.compile(r"\b403\s?\(?b\)?", re.I), "general/403b-plans"),
    (re.compile(r"\b457", re.I), "general/457b-plans"),
]
"""what an account type is or how two differ (the `account_types` topic): each account named, its own document"""


SELF_EMPLOYED = re.compile(
    r"\b(self[- ]employed|freelanc\w*|independent contractor|gig work\w*|1099|sole proprietor\w*|side (gig|hustle|business)"
    r"|own (a |my |our )?(small )?business)\b",
    re.I,
)


_RATE_MISMATCH = (
    r"^(?=.*\b(wanted|meant|asked for|chose|picked|elected|signed up for|set it (at|to))\b\D{0,15}\d+(\.\d+)? ?(%|percent))"
    r"(?=.*\b(shows?|showing|says|took|takes|taking|taken|deduct\w*|withh\w*|only|instead)\b)"
)
RATE_MISMATCH = re.compile(_RATE_MISMATCH, re.I)
"""a rate taken that is not the one the person chose ("my 403b contribution shows 3% but I picked 5% last month, what do
I do?" was a what-if to 5%): how to change the rate, not what a change would do"""
RATE_CHANGE = re.compile(
    r"^(?!.*\b(escalat\w*|automatic\w*|auto[- ]?\w+|every (year|january)|each (year|january)|annual\w*|opt\w* out)\b)"
    r"(?=.*\b(chang\w*|rais\w*|lower\w*|increas\w*|decreas\w*|reduc\w*|cut|adjust\w*|updat\w*|stop\w*|bump\w*|fix\w*|"
    r"correct\w*|wrong)\b)"
    r"(?=.*(\b(contribution|contributions|deferrals?|rate|percent(age)?|how much (i|we) (put|contribute|save|defer))|\d ?%))"
    rf"|{_RATE_MISMATCH}",
    re.I,
)
"""a change to the person's own contribution rate (when it takes effect, how to make it): the plan's section on
changing the rate, not the automatic-enrollment one ("If I change my contribution % today, when does it actually
kick in?" was answered with the escalation rule); a question about the yearly automatic increase stays there"""


OWN_IRA_BENEFICIARY = re.compile(
    r"^(?!.*\b(401\s?\(?k\)?|403\s?\(?b\)?|457|plan|employer|company|job|inherit\w*|died|passed|left me)\b)"
    r"(?=.*\bbeneficiar\w*)(?=.*\bmy (roth |traditional |rollover |sep[- ]|simple )?iras?\b)",
    re.I,
)
"""a beneficiary for the person's own IRA ("how do I name a beneficiary for my IRA?" got the plan's beneficiary
section): named on the IRA custodian's form, which the general rules on beneficiaries state, not the plan's"""


INHERITED_RULES = "general/inherited-accounts"
"""the general document an heir's question is answered from (its sections are anchored for an heir)"""


COUPLE_ACCOUNTS = re.compile(
    r"\b(my (wife|husband|spouse|partner)|(wife|husband|spouse|partner) and i)\b.{0,80}"
    r"\b(both|each|too|also|combine\w*|merg\w*|joint\w*|together|our)\b"
    r"|\b(we|us) (both|each)\b|\bboth of us\b|\bcombine our\b",
    re.I,
)
"""a couple's accounts and limits ("my husband has a 403b too, can we both max out?", "can my husband and I combine our
401ks?"): each spouse's own limit and account, which the limits document states, not the asker's own figures"""
COUPLE_TOPICS = frozenset({"contribution_limit", "rollover"})
"""topics a couple asks about as each spouse's own limit or account (a catch-up question keeps its playbook: the person's
own catch-up, which the couple section does not state)"""


WITHHOLDING = re.compile(r"\bwithh[eo]ld\w*", re.I)
"""tax withheld from a payment ("how much fed tax withholding is there on a cash dist?" said it couldn't find this):
the sentences that state the withholding, not the person's 59½ date"""
HYPOTHETICAL_AGE = re.compile(
    r"\b(?:at|by|before|after|when i'?m|if i'?m|when i am|if i am|(?:when|once|if) i turn) (?:age )?(?!59\b)(\d{2})\b"
    r"(?!\s*(?:%|percent|½|1/2|and a half|\.\d|,\d|k\b|000))",
    re.I,
)
"""an age asked about ("what's the penalty if I pull money out at 45?"), not necessarily the person's own; never 59,
the rule's own age ("before 59 and a half")"""

OTHER_DEBT = re.compile(
    r"\b(mortgages?|(car|auto|student|personal|payday|bank|home equity) loans?|heloc|credit cards?)\b", re.I
)
WORKPLACE_ACCOUNT = re.compile(r"\b(401\s?\(?k\)?|403\s?\(?b\)?|457|plan|retirement|borrow\w* from)\b", re.I)
"""a debt that is not a plan loan ("what are mortgage interest rates right now?" was nearest to "what's the interest
rate on a plan loan" and got the plan's loan terms), unless the message names the workplace account too"""

WITHDRAWAL_TAX = re.compile(
    r"\bhow (is|are|will|would|do|does)\b.{0,50}\btax(ed|es)?\b|\btax(es|ed)?\b.{0,15}\b(on|of) (my |a |the |these |those )?"
    r"(withdrawals?|distributions?|payments?|payouts?)\b|\bstate (income )?tax(es)?\b|\bstate level\b|\btaxed\b"
    rf"|{WITHHOLDING.pattern}",
    re.I,
)
"""how a withdrawal is taxed or what is withheld from it ("how are my withdrawals taxed once I retire?", "are 401k
withdrawals taxed at the state level too?" got the in-service withdrawal table): the plan's section on taxes and the
general rule"""
TAXES_EXPLAINED = ("general/plan-terms", "11")
"""the general section on how workplace-plan withdrawals are taxed"""

STARTING_LATE = re.compile(
    r"^(?!.*\bbeneficiar\w*).*"
    r"\b(too late|late start(er)?|start(ing|ed)? (to save |saving )?(so )?late|nothing saved|no (retirement )?savings|"
    r"(haven'?t|have not|never) (saved|started saving)|catch up on (my )?(retirement )?savings|"
    r"behind (on|in|with) (my )?(retirement )?sav(ing|ings)|behind (on|in|with|for) retirement)\b",
    re.I,
)
"""a late start to saving ("I'm 45 with nothing saved, is it too late?" got the plan's catch-up rule, which starts at
50; "way behind on saving at 48" got "couldn't find this"): the limits document's section on starting later, not one
topic's playbook; never a beneficiary question ("is it too late to change my beneficiary?")"""
STARTING_LATE_SECTION = ("general/contribution-limits-2026", "8")
SAVING_AT_ANY_AGE = re.compile(
    r"\b(still|keep( on)?|continue( to)?)\b.{0,15}\b(contribut\w*|put(ting)? (money )?in|sav(e|ing)|defer\w*)\b.{0,40}"
    r"\b(at my age|too old|age limit|(past|over|after|at) (6[5-9]|[7-9]\d)|in my (70|80)s)\b"
    r"|\b(is there an?|what is the|what'?s the) (max(imum)?|upper|age) (age )?(limit )?(to|for|on)\b.{0,20}\b(contribut|sav|defer)",
    re.I,
)
"""whether contributing has an age limit ("can I still contribute to my 403b at my age?" from a 73-year-old still working
got the leaving choices): the limits document's section on saving at any age"""
_PLAN_WORDS = r"(401\s?\(?k\)?s?|403\s?\(?b\)?s?|457\s?\(?b\)?s?|retirement (accounts?|plans?|money|savings)|pensions?)"
LOST_ACCOUNT = re.compile(
    rf"\b(lost track of|forgot(ten)? about|forgotten|unclaimed|missing)\b.{{0,30}}\b{_PLAN_WORDS}\b"
    r"|\b(find|finding|track down|tracking down|locate|locating|search for|look for|looking for)\b.{0,40}"
    r"\b(old|former|previous|prior|past|first|earlier)\b.{0,40}\b(401\s?\(?k\)?|403\s?\(?b\)?|457|retirement|pension|job|"
    r"employer|company|account)",
    re.I,
)
"""an account from an old job to be found ("how do I find an old 401k from a job I left years ago?" got the choices on
leaving a job): the rollover document's section on finding one"""
_SPOUSE = r"(husband|wife|spouse|partner)"
SPOUSAL_IRA = re.compile(
    rf"^(?=.*\b(iras?|roth)\b)(?=.*\b{_SPOUSE}\b.{{0,40}}(\b(doesn'?t|does not|don'?t|isn'?t|is not|"
    r"has no|have no|not)\b.{0,15}\b(work\w*|jobs?|income|earn\w*|employed)\b|\bstays?( at)? home\b)"
    r"|.*\bstay[- ]at[- ]home (husband|wife|spouse|partner|mom|dad)\b)",
    re.I,
)
"""an IRA for a spouse without pay ("my husband doesn't work, can he still have an IRA?" said it couldn't find this; "my
wife stays home with the kids, can I open an IRA for her?" too)"""
_NO_PAY = (
    r"\b(retired|unemployed|no (job|income|earned income|earnings|wages|paycheck)|not working|out of work|"
    r"(don'?t|do not|doesn'?t) work|(lost|quit|left) my job|only (have |get )?(social security|a pension|pension))\b"
)
_PUT_IN = r"\b(contribut\w*|put (money|\$?\d[\d,]*k?) (in|into)|put in|fund\w*|add\w* (money|to)|open\w*|still (put|add|save))\b"
ROTH_NO_PAY = re.compile(rf"^(?!.*\b({_SPOUSE}|inherit\w*)\b)(?=.*\broth ira\b)(?=.*{_PUT_IN})(?=.*{_NO_PAY})", re.I)
"""a Roth IRA contribution without pay ("can I still put money in a roth ira if I'm retired and have no job?" got a
conversion rule): the Roth IRA's first section, which says contributions need taxable compensation and what counts"""
IRA_NO_PAY = re.compile(
    rf"^(?!.*\b({_SPOUSE}|inherit\w*|roth)\b)(?=.*\b(traditional )?iras?\b)(?=.*{_PUT_IN})(?=.*{_NO_PAY})",
    re.I,
)
"""the same for a traditional IRA: who can contribute"""
IRA_DEDUCTION_AT_INCOME = re.compile(
    rf"^(?!.*\b({_SPOUSE}|roth|inherit\w*)\b)(?=.*\bdeduct\w*\b)(?=.*\b(traditional )?iras?\b)"
    r"(?=.*(\b(make|making|earn\w*|income|magi|agi|salary)\b|\$\s?\d|\b\d{2,3}\s?k\b|\b(can|could|may) (i|we) (still )?deduct\b"
    r"|\b(is|are) (my |an? |the )?(traditional )?iras?( contributions?)? (tax[- ])?deductible\b))",
    re.I,
)
"""whether a traditional IRA contribution is deductible at the person's income ("I make 182k, can I still deduct a
traditional IRA contribution?" got "depending on your income" and the nondeductible rule, not the ranges; "can I deduct
my IRA contribution?" said it couldn't find this): the section with the 2026 phase-out ranges for savers covered at
work"""
_ACCOUNT_WORDS = (
    r"(401\s?\(?k\)?s?|403\s?\(?b\)?s?|457\s?\(?b\)?|iras?|rmds?|required (minimum )?distributions?|retirement)"
)
_HARDSHIP_TALK = (
    r"(?=.*\b(hardship|withdraw\w*|take (money|it) out|401\s?\(?k\)?|403\s?\(?b\)?|457\s?\(?b\)?|retirement)\b)"
)
HARDSHIP_PROOF = re.compile(
    r"^(?=.*\bhardship\b)(?=.*\b(proof|prove|document\w*|receipts?|paperwork|evidence|certif\w*|"
    r"show (them|the plan|anything|bills?)|verif\w*)\b)",
    re.I,
)
"""what a hardship withdrawal asks the person to show ("do I need to show proof for a hardship?" got the plan's list of
reasons and the loan side by side): the general section on self-certification and whose need counts"""
RELATIVES_NEED = re.compile(
    rf"^{_HARDSHIP_TALK}(?=.*\b(mom|mother|dad|father|parents?|(mother|father|parents)-in-law|grand(ma|pa|mother|father|"
    r"parent)s?|sister|brother|siblings?|aunt|uncle|niece|nephew|cousin|boyfriend|girlfriend|fianc\w*)('s)?\b"
    r"(?!.{0,10}\b(died|passed)).{0,60}\b(medical|hospital|doctor|surgery|treatment|bills?|tuition|college|school)\b)",
    re.I,
)
"""a relative's medical bill or tuition paid from one's plan ("my mom is sick and I need to pay her hospital bill, can I
use my 403b?" was told the plan accepts medical care expenses, which count only for one's spouse, dependents and
primary beneficiary): the general section on whose need counts"""
STILL_WORKING_IRA = re.compile(
    r"\bstill[- ]working (rule|exception|provision)s?\b.{0,60}\b(iras?|it)\b"
    r"|^(?=.*\b(my |an |the |old )?iras?\b)(?=.*\b(still|keep|am) work\w*\b)"
    r"(?=.*\b(rmds?|required minimum|required (withdrawal|distribution)s?|(have|need) to (start )?(take|taking|withdraw\w*))\b)",
    re.I,
)
"""whether working on delays an IRA's RMDs ("I have an IRA from my old job too, does the still-working rule apply to
it?" said it couldn't find this, then led with a sentence on nondeductible IRA contributions): the RMD document's section
that compares employer plans with IRAs"""
TWO_RMDS = re.compile(
    r"\b(two|2|both|double) (of )?(my |the )?(required (minimum )?)?(rmds?|distributions|withdrawals)\b.{0,40}\b(same|one|next|this|a) year\b"
    r"|\btwo rmds\b|\b(two|2|double) (required (minimum )?)?(rmds|distributions|withdrawals) in\b",
    re.I,
)
"""two RMDs in one year after delaying the first ("if I retire in March, do I have to take two RMDs next year?" got
the first RMD's date, not the second's): the section on when the first RMD is due, which says so"""
CHARITY_GIFT = re.compile(
    r"^(?!.*\b(die|dies|died|death|dead|gone|pass away|beneficiar\w*)\b)"
    rf"(?=.*\b{_ACCOUNT_WORDS}\b)(?=.*\b(qcds?|qualified charitable|charit\w*|church(es)?|donat\w*|non-?profits?)\b)",
    re.I,
)
"""giving plan or IRA money to a charity ("can I give my RMD to my church instead of paying tax on it?" got the RMD
dates and the penalty): the section on qualified charitable distributions, which says they come from an IRA only; never
a gift at death, which is a beneficiary question"""
_MY_DEATH = (
    r"(after i'?m gone|after i am gone|once i'?m gone|(after|when|if|once) i (die|pass( away| on)?)|after my death)"
)
_SPOUSE_AFTER_MY_DEATH = (
    rf"(?=.*\b{_SPOUSE}\b)(?=.*\b{_MY_DEATH}\b)(?=.*\b(roll\w*|own ira|take|inherit\w*|do with|mov\w*|transfer\w*)\b)"
)
SPOUSE_AFTER_MY_DEATH = re.compile(f"^{_SPOUSE_AFTER_MY_DEATH}", re.I)
"""what a surviving spouse may do with the asker's account after the asker's death ("my wife is 65, can she roll it
into her own IRA after I'm gone?" got the asker's own leaving choices; "once I die can my husband move my 403b into an
IRA of his own?" too): the spousal choices for an inherited plan account"""
SPOUSE_AFTER_MY_DEATH_IRA = re.compile(rf"^(?=.*\bmy (roth |traditional )?iras?\b){_SPOUSE_AFTER_MY_DEATH}", re.I)
"""the same for the asker's own IRA: the spousal choices for an inherited IRA"""
ANNUITY_PURCHASE = re.compile(
    r"^(?!.*\bpensions?\b)(?:(?=.*\b(qlacs?|longevity annuit\w*)\b)|(?=.*\bannuit\w*\b)"
    r"(?=.*\b(401\s?\(?k\)?|403\s?\(?b\)?|457|iras?|rollover|retirement (account|savings|money))\b)"
    r"(?=.*\b(buy\w*|purchas\w*|bought|roll\w*|put|use|move|convert\w*)\b))",
    re.I,
)
"""an annuity bought with plan or IRA money ("I want to buy an annuity with part of my 401k, can I?" was read as a loan
question and said it couldn't find this); a pension's own annuity is the pension's section"""
ROLLOVER_AMOUNT = re.compile(
    r"^(?!.*\b(how many|times|529|per year|each year|tax\w*)\b)(?=.*(\b(limit|max(imum)?|cap)\b.{0,40}\broll\w*|"
    r"\broll\w*.{0,40}\b(limit|max(imum)?|cap)\b|\bhow much\b.{0,20}\b(can|may|could) (i|you|we) roll\w*))",
    re.I,
)
"""how much can be rolled over ("is there a limit on how much I can roll over from my 401k to an IRA?" led with the
IRA contribution limit, which a rollover does not count toward)"""
IRA_LOAN = re.compile(
    r"\b(loans?|borrow\w*)\b.{0,25}\b(from|against|out of|on) (my |an |a |the |our )?(traditional |roth )?iras?\b", re.I
)
"""a loan from an IRA ("can I take a loan from my IRA?" said it couldn't find this): an IRA makes no loans"""
IRA_PENALTY_AGE = re.compile(
    r"^(?=.*\biras?\b)(?=.*\b(what age|how old|which age|the age|age limit)\b)(?=.*\b(penalt\w*|10 ?%|early|without)\b)",
    re.I,
)
"""the age from which an IRA's withdrawals owe no 10% ("what's the age when I can take from my IRA without the 10%
penalty?" got two exceptions and never 59½)"""
IRA_TO_HSA = re.compile(r"^(?=.*\biras?\b)(?=.*\b(hsa|health savings account)s?\b)", re.I)
"""IRA money moved to an HSA ("can I use my IRA to fund my HSA?" was out of scope)"""
MATCH_TAXED = re.compile(
    r"\bmatch\w*\b.{0,40}\b(taxed|taxable|income tax|w-?2)\b"
    r"|\b(taxed|taxable|tax(es)? on|income tax on|(pay|owe)\w* (income )?tax(es)?)\b.{0,40}\bmatch",
    re.I,
)
"""whether the employer match is taxed ("is my company match taxed when it goes in" got the match figures); "pre-tax"
names a kind of contribution, not a tax ("if I put in 6% pre-tax how much match do I get?" keeps the figures)"""
_WITHHOLDING = r"with ?h(e|o)ld\w*|(take|keep|hold)\w* (it |out |back )?for (federal )?tax(es)?|w-?4r"
WITHHELD = re.compile(rf"\b({_WITHHOLDING})\b", re.I)
"""tax withheld from a payment ("how much will they take out for taxes")"""
HARDSHIP_WITHHELD = re.compile(
    rf"\bhardship\b.{{0,60}}\b({_WITHHOLDING})\b|\b({_WITHHOLDING})\b.{{0,60}}\bhardship", re.I
)
"""the tax withheld from a hardship withdrawal ("if I take a hardship withdrawal how much tax gets withheld" got the
side-by-side, which never says; so did "how much will they take out for taxes if I do a hardship withdrawal")"""
STATE_TAX = re.compile(
    r"\bstate\b.{0,25}\btax\w*|\btax\w*\b.{0,40}\b(by|in|to|from) (the |my |another |a )?state\b", re.I
)
"""state income tax on withdrawals ("do I have to pay state tax on my 401k if I move to Florida" said it couldn't find
this: the glossary that says so is not searched for a participant's question)"""
GENERAL_SECTIONS = (
    (SPOUSE_AFTER_MY_DEATH_IRA, ("general/inherited-accounts", "4")),
    (SPOUSE_AFTER_MY_DEATH, ("general/inherited-accounts", "5")),
    (STARTING_LATE, STARTING_LATE_SECTION),
    (SAVING_AT_ANY_AGE, STARTING_LATE_SECTION),
    (LOST_ACCOUNT, ("general/rollovers", "7")),
    (SPOUSAL_IRA, ("general/traditional-ira", "7")),
    (CHARITY_GIFT, ("general/rmd", "9")),
    (STILL_WORKING_IRA, ("general/rmd", "6")),
    (TWO_RMDS, ("general/rmd", "3")),
    (HARDSHIP_PROOF, ("general/loans-vs-hardship", "5")),
    (RELATIVES_NEED, ("general/loans-vs-hardship", "5")),
    (ANNUITY_PURCHASE, ("general/pensions-annuities", "9")),
    (ROTH_NO_PAY, ("general/roth-ira", "12")),
    (IRA_NO_PAY, ("general/traditional-ira", "2")),
    (IRA_DEDUCTION_AT_INCOME, ("general/traditional-ira", "4")),
    (ROLLOVER_AMOUNT, ("general/rollovers-transfers", "5")),
    (IRA_LOAN, ("general/traditional-ira", "10")),
    (IRA_PENALTY_AGE, ("general/additional-tax", "1")),
    (IRA_TO_HSA, ("general/traditional-ira", "11")),
    (STATE_TAX, ("general/plan-terms", "11")),
    (MATCH_TAXED, ("general/roth-vs-traditional", "5")),
    (HARDSHIP_WITHHELD, ("general/loans-vs-hardship", "6")),
)
"""questions one general section answers, whatever topic the nearest example guessed: (pattern, (doc_id, section))"""


def general_section(text: str) -> tuple[str, str] | None:
    """The general section that answers the question by its own words, if any (the first that matches)."""
    return next((section for rx, section in GENERAL_SECTIONS if rx.search(text)), None)
