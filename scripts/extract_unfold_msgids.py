#!/usr/bin/env python
"""Keep the desk's third-party strings in our zh_Hans catalogue (R-SYS: desk entirely in Chinese).

django-unfold ships no Chinese catalogue, and django-axes none at all; django-import-export and
django-simple-history ship zh_Hans with gaps. This collects every msgid those packages use
(templates through Django's ``templatize``, Python through ``tokenize``; no gettext tools needed)
and merges them into ``apps/zhonglou_hrss/locale/zh_Hans/LC_MESSAGES/django.po``:

* unfold: every msgid it uses;
* axes, import_export, simple_history: only msgids their own zh_Hans catalogue lacks
  (minus a few programmer-only error messages, see ``DEVELOPER_ONLY``).

New entries are added untranslated; when Django's own zh_Hans has the msgid its text is offered
as a fuzzy suggestion. Entries that only these packages used and that disappeared are made
obsolete. Run after upgrading one of the packages, translate what it reports, then compile:

    .venv/bin/python scripts/extract_unfold_msgids.py           # merge and report
    .venv/bin/python scripts/extract_unfold_msgids.py --check   # report only; exit 1 if work remains
    .venv/bin/python scripts/compile_translations.py
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import io
import sys
import tokenize
from pathlib import Path

import polib
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "apps/zhonglou_hrss/locale/zh_Hans/LC_MESSAGES/django.po"

FULL_PACKAGES = ["unfold"]
GAP_PACKAGES = ["axes", "import_export", "simple_history"]

# Raised only on programming/configuration mistakes, never shown to desk users.
DEVELOPER_ONLY = {
    "Form is not validated, call `is_valid` first",
    "use_natural_foreign_keys and key_is_id cannot both be True",
    "call to force_str() on instance failed: %s",
    "The following fields are declared in 'import_id_fields' but are not present in the resource fields: %s",
    "export failed due to IllegalCharacterError",
}

# Argument roles per gettext function: c = context, s = singular, p = plural.
KEYWORDS = {
    "_": "s", "gettext": "s", "gettext_lazy": "s", "gettext_noop": "s", "ugettext": "s", "ugettext_lazy": "s",
    "ngettext": "sp", "ngettext_lazy": "sp", "ungettext": "sp", "ungettext_lazy": "sp",
    "pgettext": "cs", "pgettext_lazy": "cs", "npgettext": "csp", "npgettext_lazy": "csp",
}
SKIP_DIRS = {"migrations", "tests", "locale", "static", "__pycache__"}
HEADER = {
    "Project-Id-Version": "zhonglou-hrss",
    "Language-Team": "简体中文",
    "Language": "zh_Hans",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def calls(code: str):
    """Yield (msgctxt, msgid, msgid_plural) for gettext-family calls with literal arguments."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline)
              if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)]
    for i, tok in enumerate(tokens[:-1]):
        if tok.type != tokenize.NAME or tok.string not in KEYWORDS:
            continue
        if tokens[i + 1].string != "(" or (i and tokens[i - 1].string in (".", "def")):
            continue
        roles = KEYWORDS[tok.string]
        args, parts, j = [], [], i + 2
        while j < len(tokens) and len(args) < len(roles):
            t = tokens[j]
            if t.type == tokenize.STRING and "f" not in t.string.split(t.string[-1])[0].lower():
                parts.append(ast.literal_eval(t.string))
            elif t.string in (",", ")") and parts:
                args.append("".join(parts))
                parts = []
                if t.string == ")":
                    break
            else:
                break  # not a literal: nothing to extract
            j += 1
        if len(args) == len(roles):
            found = dict(zip(roles, args))
            yield found.get("c"), found["s"], found.get("p")


def extract(name: str) -> dict[tuple, dict]:
    """{(msgctxt, msgid): {"plural": str | None, "files": [...]}} for one installed package."""
    root = package_dir(name)
    found: dict[tuple, dict] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or SKIP_DIRS.intersection(rel.parts[:-1]):
            continue
        if path.suffix == ".py":
            code = path.read_text(encoding="utf-8")
        elif path.suffix in (".html", ".txt") and "templates" in rel.parts:
            # templatize keeps each string on one line; dropping indentation keeps tokenize happy.
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            code = "\n".join(line.lstrip() for line in code.splitlines())
        else:
            continue
        try:
            for ctxt, msgid, plural in calls(code):
                item = found.setdefault((ctxt, msgid), {"plural": plural, "files": []})
                item["plural"] = item["plural"] or plural
                ref = f"{name}/{rel.as_posix()}"
                if ref not in item["files"]:
                    item["files"].append(ref)
        except (tokenize.TokenError, SyntaxError, ValueError) as exc:
            print(f"warning: could not read {name}/{rel}: {exc}", file=sys.stderr)
    return found


def own_translations(name: str) -> set[tuple]:
    po_path = package_dir(name) / "locale/zh_Hans/LC_MESSAGES/django.po"
    if not po_path.exists():
        return set()
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)) if e.translated() and not e.obsolete}


def django_suggestions() -> dict[tuple, polib.POEntry]:
    django_dir = package_dir("django")
    suggestions: dict[tuple, polib.POEntry] = {}
    for po_path in sorted(django_dir.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)):
            if entry.translated() and not entry.obsolete:
                suggestions.setdefault((entry.msgctxt, entry.msgid), entry)
    return suggestions


def wanted() -> dict[tuple, dict]:
    result: dict[tuple, dict] = {}
    for name in FULL_PACKAGES + GAP_PACKAGES:
        found = extract(name)
        if name in GAP_PACKAGES:
            have = own_translations(name)
            found = {k: v for k, v in found.items() if k not in have and k[1] not in DEVELOPER_ONLY}
        for key, item in found.items():
            merged = result.setdefault(key, {"plural": item["plural"], "files": []})
            merged["plural"] = merged["plural"] or item["plural"]
            merged["files"] += [f for f in item["files"] if f not in merged["files"]]
    return result


def managed(ref: str) -> bool:
    return ref.split("/", 1)[0] in FULL_PACKAGES + GAP_PACKAGES


def merge(catalogue: polib.POFile, needed: dict[tuple, dict]) -> tuple[list, list]:
    suggestions = django_suggestions()
    existing = {(e.msgctxt, e.msgid): e for e in catalogue if not e.obsolete}
    added, dropped = [], []
    for (ctxt, msgid), item in needed.items():
        entry = existing.get((ctxt, msgid))
        if entry is None:
            entry = polib.POEntry(msgctxt=ctxt, msgid=msgid)
            if item["plural"]:
                entry.msgid_plural = item["plural"]
                entry.msgstr_plural = {0: ""}
            hint = suggestions.get((ctxt, msgid))
            if hint is not None:
                if item["plural"]:
                    entry.msgstr_plural = {0: hint.msgstr_plural.get(0, "") if hint.msgid_plural else hint.msgstr}
                else:
                    entry.msgstr = hint.msgstr or hint.msgstr_plural.get(0, "")
                entry.flags.append("fuzzy")
            catalogue.append(entry)
            added.append(entry)
        elif item["plural"] and not entry.msgid_plural:
            entry.msgid_plural = item["plural"]
            entry.msgstr_plural = {0: entry.msgstr}
            entry.msgstr = ""
        if "%(" in msgid or "%s" in msgid:
            if "python-format" not in entry.flags:
                entry.flags.append("python-format")
        own = [o for o in entry.occurrences if not managed(o[0])]
        entry.occurrences = own + [(f, "") for f in item["files"]]
    for key, entry in existing.items():
        if key not in needed and entry.occurrences and all(managed(o[0]) for o in entry.occurrences):
            entry.obsolete = True
            dropped.append(entry)
    return added, dropped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if entries are missing or untranslated")
    args = parser.parse_args()

    if CATALOGUE.exists():
        catalogue = polib.pofile(str(CATALOGUE))
    else:
        catalogue = polib.POFile()
        catalogue.metadata = dict(HEADER)
    added, dropped = merge(catalogue, wanted())
    todo = [e for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]

    for entry in added:
        print(f"new: {entry.msgid!r}" + (" (fuzzy suggestion from Django)" if entry.fuzzy else ""))
    for entry in dropped:
        print(f"no longer used (now obsolete): {entry.msgid!r}")
    print(f"{len(added)} new, {len(dropped)} obsolete, {len(todo)} to translate or review")
    if args.check:
        return 1 if (added or dropped or todo) else 0
    text = str(catalogue)
    if not CATALOGUE.exists() or CATALOGUE.read_text(encoding="utf-8") != text:  # keep the .mo fresh otherwise
        CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
        CATALOGUE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
