"""Shared helpers for the independent PII corpus (standard library only).

Written by hand for the Marseille police/city notes benchmark. Nothing here
was derived from the detector under test.
"""

import random  # noqa: F401

from names import *  # noqa: F401,F403
from values import *  # noqa: F401,F403
from values import _ascii, _digits, noaccent  # noqa: F401

# ---------------------------------------------------------------- builder


class Builder:
    """Assemble a text piece by piece; record (start, end, type) spans."""

    def __init__(self, rng=None, typo=0.0):
        self.buf, self.n, self.spans = [], 0, []
        self.rng, self.typo = rng, typo

    def t(self, *parts):
        """Plain text (may receive typos)."""
        for s in parts:
            if self.typo and self.rng is not None:
                s = typo(self.rng, s, self.typo)
            self._contract(s)
            s = self._cut
            self.buf.append(s)
            self.n += len(s)
        return self

    def _contract(self, s):
        """French contractions across pieces: 'de' + 'le x' -> 'du x', 'à' + 'les' -> 'aux'."""
        self._cut = s
        if not self.buf or self.spans and self.spans[-1]["end"] == self.n:
            return
        prev = self.buf[-1]
        for w, art, rep in (
            ("de ", "le ", "du "),
            ("de ", "les ", "des "),
            ("à ", "le ", "au "),
            ("à ", "les ", "aux "),
        ):
            if s.startswith(art) and (prev.endswith(" " + w) or prev == w):
                self.buf[-1] = prev[: -len(w)] + rep
                self.n += len(rep) - len(w)
                self._cut = s[len(art) :]
                return

    def s(self, value, typ):
        """A labelled value."""
        self.spans.append({"start": self.n, "end": self.n + len(value), "type": typ, "value": value})
        self.buf.append(value)
        self.n += len(value)
        return self

    def v(self, value, typ, labelled):
        """Labelled iff `labelled`; used to drop lookalikes in the same slot."""
        if labelled:
            return self.s(value, typ)
        self.buf.append(value)
        self.n += len(value)
        return self

    def text(self):
        return "".join(self.buf)

    def done(self, family, transform=None):
        text = self.text()
        if transform is not None:
            new = transform(text)
            assert len(new) == len(text)
            text = new
            for sp in self.spans:
                sp["value"] = transform(sp["value"])
        return family, text, list(self.spans)


def upper(s):
    return s.upper()


def style(rng, p_noacc=0.25, p_upper=0.05):
    """Pick a length-preserving whole-text transform (or None)."""
    r = rng.random()
    if r < p_upper:
        return upper
    if r < p_upper + p_noacc:
        return noaccent
    return None


def typo(rng, s, rate):
    out = []
    for w in s.split(" "):
        if len(w) >= 5 and w.isalpha() and rng.random() < rate:
            i = rng.randrange(1, len(w) - 2)
            k = rng.random()
            if k < 0.4:
                w = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
            elif k < 0.7:
                w = w[:i] + w[i + 1 :]
            else:
                w = w[:i] + w[i] + w[i:]
        out.append(w)
    return " ".join(out)


def pick(rng, *opts):
    return rng.choice(opts)


def maybe(rng, p, s, alt=""):
    return s if rng.random() < p else alt


def P(rng, p):
    return rng.random() < p


def add_name(b, rng, sex=None, civil=0.5, form=None):
    """Append [civility] + labelled name; civility stays outside the span."""
    sex = sex or rng.choice("MF")
    if rng.random() < civil:
        b.t(civ(rng, sex))
        form = form or rng.choice(["l", "L", "Lf", "fl", "fL", "L"])
    b.s(name(rng, sex, form), "person")
    return sex


def add_agent(b, rng, pii):
    """A grade followed by a name (pii) or by nothing / a function (clean)."""
    g = rng.choice(GRADES)
    if pii:
        b.t(g)
        b.s(name(rng, None, rng.choice(["l", "L", "L", "fl", "if"])), "person")
    else:
        b.t(rng.choice(FUNCTIONS + [g.strip() + " de permanence", g.strip() + " de service"]))


def add_phone(b, rng, pii, kind=None):
    if pii:
        b.t(rng.choice(TEL))
        b.s(phone(rng, kind), "phone")
    else:
        b.t(
            rng.choice(
                [
                    "joignable via le standard",
                    "contact par le 17",
                    "joignable sur TPH",
                    "tél. : voir annuaire interne",
                    "n° non communiqué",
                    "tel pro en attente",
                    "appel au 112",
                    "contact radio " + rng.choice(["canal 3", "canal 7", "TN 12"]),
                ]
            )
        )
