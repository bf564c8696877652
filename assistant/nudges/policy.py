"""The contact policy: who may be contacted, on which channel, how often and which nudge wins.

`decide` applies the rules in a fixed order and gives every candidate one outcome with a reason:

1. already delivered for this event        -> already_sent (nothing new happens)
2. catalog approval expired                -> approval_expired
3. suitability exclusion                   -> unsuitable
4. acted upon earlier                      -> acted_upon
5. dismissed recently                      -> dismissed
6. cool-down since the same nudge          -> cool_down
7. no channel with consent                 -> no_consent (opt-out per channel, SMS needs consent)
8. quiet period (dates, sensitive events)  -> quiet_period
9. frequency cap (education only)          -> frequency_cap
10. several left: highest priority wins    -> arbitration (the others)
11. hold-out group (education only)        -> held_out (would have been sent; receives nothing)
12. otherwise                              -> send (then the output guard decides: sent or blocked)

Held-out decisions count as deliveries for later policy checks, so the two groups stay comparable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.nudges.catalog import Channel, NudgeSpec
from assistant.nudges.errors import NudgeConfigError
from assistant.nudges.events import EVENT_KINDS, Event


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Holdout(_Strict):
    share: float = Field(ge=0.0, le=0.5)
    salt: str = Field(min_length=4)


class FrequencyCap(_Strict):
    max_nudges: int = Field(ge=1)
    per_days: int = Field(ge=1)
    min_days_between: int = Field(default=0, ge=0)


class ChannelRule(_Strict):
    default_consent: bool


class QuietPeriod(_Strict):
    start: dt.date
    end: dt.date
    reason: str = Field(min_length=3)


class SensitiveQuiet(_Strict):
    event: str
    days: int = Field(ge=1, le=365)


class Behaviour(_Strict):
    intents: list[str] = Field(min_length=1)
    min_count: int = Field(ge=1)
    within_days: int = Field(ge=1)


class PolicyConfig(_Strict):
    holdout: Holdout
    frequency_cap: FrequencyCap
    max_per_run: int = Field(default=1, ge=1)
    channels: dict[Channel, ChannelRule]
    quiet_periods: list[QuietPeriod] = Field(default_factory=list)
    sensitive_events: list[SensitiveQuiet] = Field(default_factory=list)
    behaviour: Behaviour
    remind_later_days: int = Field(default=3, ge=1)
    dismiss_suppress_days: int = Field(default=180, ge=0)


@dataclass(frozen=True)
class LoadedPolicy:
    config: PolicyConfig
    sha256: str

    @property
    def version(self) -> str:
        return self.sha256[:12]


def load_policy(path: Path) -> LoadedPolicy:
    try:
        raw_bytes = path.read_bytes()
        cfg = PolicyConfig.model_validate(yaml.safe_load(raw_bytes.decode("utf-8")))
    except OSError as e:
        raise NudgeConfigError(f"The contact policy {path} cannot be read ({e}).") from e
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise NudgeConfigError(f"The contact policy {path} is not valid YAML ({e}); fix the file.") from e
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise NudgeConfigError(f"{path}: field '{where}': {err['msg']}; fix it and run again.") from e
    for i, q in enumerate(cfg.quiet_periods):
        if q.end < q.start:
            raise NudgeConfigError(f"{path}: field 'quiet_periods.{i}.end': {q.end} is before the start {q.start}.")
    for i, s in enumerate(cfg.sensitive_events):
        if s.event not in EVENT_KINDS:
            raise NudgeConfigError(f"{path}: field 'sensitive_events.{i}.event': unknown event '{s.event}'.")
    for ch in ("in_app", "email", "sms"):
        if ch not in cfg.channels:
            raise NudgeConfigError(f"{path}: field 'channels': the '{ch}' channel needs a rule (default_consent).")
    return LoadedPolicy(cfg, hashlib.sha256(raw_bytes).hexdigest())


def holdout_bucket(participant_id: str, salt: str) -> float:
    """A number in [0, 1) from sha256(salt:id): the same person always lands in the same place."""
    digest = hashlib.sha256(f"{salt}:{participant_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def in_holdout(participant_id: str, holdout: Holdout) -> bool:
    return holdout_bucket(participant_id, holdout.salt) < holdout.share


def partition_of(participant_id: str, partitions: int) -> int:
    """Which of `partitions` workers handles this participant (independent of the hold-out hash)."""
    digest = hashlib.sha256(f"partition:{participant_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % partitions


@dataclass(frozen=True)
class Delivery:
    """An earlier decision that counts as a contact (sent, or held out)."""

    nudge_id: str
    event_key: str
    as_of: dt.date
    category: str = "education"


@dataclass
class PersonState:
    """What the policy needs to know about one participant, read from the store in bulk."""

    deliveries: list[Delivery] = field(default_factory=list)
    acted: set[str] = field(default_factory=set)
    """nudge ids the person acted upon"""
    dismissed: dict[str, dt.date] = field(default_factory=dict)
    preferences: list[tuple[str, str, dt.date]] = field(default_factory=list)
    """(channel | all, consented | opted_out, effective date)"""


@dataclass(frozen=True)
class Candidate:
    spec: NudgeSpec
    event: Event
    exclusion: tuple[str, str] | None = None


Outcome = Literal[
    "send",
    "already_sent",
    "approval_expired",
    "unsuitable",
    "acted_upon",
    "dismissed",
    "cool_down",
    "no_consent",
    "quiet_period",
    "frequency_cap",
    "arbitration",
    "held_out",
]


@dataclass
class Decision:
    candidate: Candidate
    outcome: Outcome
    reason: str
    channels: list[str] = field(default_factory=list)

    @property
    def nudge_id(self) -> str:
        return self.candidate.spec.id


def channel_permitted(channel: str, state: PersonState, cfg: PolicyConfig, as_of: dt.date) -> tuple[bool, str]:
    """Consent for one channel on a date: the latest preference in force wins; `all` covers every channel."""
    relevant = sorted((p for p in state.preferences if p[2] <= as_of and p[0] in (channel, "all")), key=lambda p: p[2])
    if relevant:
        ch, status, day = relevant[-1]
        return status == "consented", f"{status.replace('_', ' ')} {'of all channels' if ch == 'all' else ch} on {day}"
    default = cfg.channels[channel].default_consent  # type: ignore[index]
    return default, "default consent" if default else "no consent on file (needed for this channel)"


def decide(
    candidates: list[Candidate],
    state: PersonState,
    policy: PolicyConfig,
    as_of: dt.date,
    participant_id: str,
    events: list[Event],
) -> list[Decision]:
    out: list[Decision] = []
    survivors: list[tuple[Candidate, list[str]]] = []
    delivered = {(d.nudge_id, d.event_key) for d in state.deliveries}
    for c in candidates:
        spec = c.spec
        if (spec.id, c.event.key) in delivered:
            out.append(Decision(c, "already_sent", f"already delivered for {c.event.key}"))
            continue
        if spec.approval.expires_on < as_of:
            out.append(
                Decision(
                    c,
                    "approval_expired",
                    f"the catalog approval of v{spec.version} expired on {spec.approval.expires_on}; it needs re-approval",
                )
            )
            continue
        if c.exclusion is not None:
            out.append(Decision(c, "unsuitable", f"suitability exclusion '{c.exclusion[0]}': {c.exclusion[1]}"))
            continue
        if spec.id in state.acted:
            out.append(Decision(c, "acted_upon", "the participant already acted on this nudge"))
            continue
        dismissed = state.dismissed.get(spec.id)
        if dismissed is not None and (as_of - dismissed).days < policy.dismiss_suppress_days:
            out.append(
                Decision(c, "dismissed", f"dismissed on {dismissed} (quiet for {policy.dismiss_suppress_days} days)")
            )
            continue
        last_same = max((d.as_of for d in state.deliveries if d.nudge_id == spec.id), default=None)
        if last_same is not None and (as_of - last_same).days < spec.cool_down_days:
            out.append(
                Decision(c, "cool_down", f"last delivered on {last_same}; cool-down is {spec.cool_down_days} days")
            )
            continue
        channels: list[str] = []
        refusals: list[str] = []
        for ch in spec.channels:
            ok, why = channel_permitted(ch, state, policy, as_of)
            (channels if ok else refusals).append(ch if ok else f"{ch}: {why}")
        if not channels:
            out.append(Decision(c, "no_consent", "no channel may be used (" + "; ".join(refusals) + ")"))
            continue
        quiet = next((q for q in policy.quiet_periods if q.start <= as_of <= q.end), None)
        if quiet is not None:
            out.append(Decision(c, "quiet_period", f"quiet period {quiet.start} to {quiet.end}: {quiet.reason}"))
            continue
        if spec.category == "education":
            sensitive = next(
                (
                    (s, e)
                    for s in policy.sensitive_events
                    for e in events
                    if e.kind == s.event and dt.timedelta(0) <= as_of - e.date < dt.timedelta(days=s.days)
                ),
                None,
            )
            if sensitive is not None:
                s, e = sensitive
                out.append(Decision(c, "quiet_period", f"{e.kind} on {e.date}: no education nudges for {s.days} days"))
                continue
            cap = policy.frequency_cap
            recent = [
                d for d in state.deliveries if d.category == "education" and (as_of - d.as_of).days < cap.per_days
            ]
            last = max((d.as_of for d in state.deliveries if d.category == "education"), default=None)
            if len(recent) >= cap.max_nudges:
                out.append(
                    Decision(
                        c,
                        "frequency_cap",
                        f"{len(recent)} nudges in the last {cap.per_days} days (cap {cap.max_nudges})",
                    )
                )
                continue
            if last is not None and (as_of - last).days < cap.min_days_between:
                out.append(
                    Decision(
                        c, "frequency_cap", f"last nudge on {last}; at least {cap.min_days_between} days between nudges"
                    )
                )
                continue
        survivors.append((c, channels))
    survivors.sort(key=lambda sc: (-sc[0].spec.priority, sc[0].event.date, sc[0].spec.id))
    winners = survivors[: policy.max_per_run]
    for c, _ in survivors[policy.max_per_run :]:
        top = winners[0][0].spec
        out.append(
            Decision(
                c,
                "arbitration",
                f"'{top.id}' (priority {top.priority}) goes first; this one has priority {c.spec.priority}",
            )
        )
    held = in_holdout(participant_id, policy.holdout)
    for c, channels in winners:
        if held and c.spec.category == "education":
            out.append(
                Decision(
                    c,
                    "held_out",
                    f"in the hold-out group ({policy.holdout.share:.0%} by hash): would have been sent",
                    channels,
                )
            )
        else:
            why = f"{c.event.kind} on {c.event.date} ({c.event.source}); priority {c.spec.priority}; channels {', '.join(channels)}"
            out.append(Decision(c, "send", why, channels))
    return out
