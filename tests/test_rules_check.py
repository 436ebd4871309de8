"""`wa-audit rules check` on broken copies of the mini pack, and `wa-audit rules show`.

Each broken pack is the mini pack with one edit; the check must print `file:line: message` for it
and exit 2. Lines are found in the edited text (the line holding `marker`), not written down.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from audit.app.cli import main
from audit.load.read import load_pack
from audit.load.resources import default_pack_dir
from audit.model import labels
from audit.render import model_guide
from tests.conftest import ROOT, edit_pack_file

F2_WHEN = 'when: {question: linked, in: ["yes"]}'
F3_WHEN = "when: {all: [{rule: F2}, {question: share, in: [always]}]}"
F4_WHEN = "when: {question: last_seen, in: [everyone]}"
SHARE_WHEN = 'when: {question: linked, in: ["yes", unknown]}'

# (file, old text, new text, (marker, which occurrence), expected message)
BROKEN = [
    pytest.param(
        (
            "flows.yaml",
            F2_WHEN,
            'when: {question: lnked, in: ["yes"]}',
            ("lnked", 1),
            "unknown question 'lnked' (did you mean 'linked'?)",
        ),
        id="unknown-question",
    ),
    pytest.param(
        (
            "flows.yaml",
            F4_WHEN,
            "when: {question: last_seen, in: [everyon]}",
            ("everyon]", 1),
            "unknown value of 'last_seen' 'everyon' (did you mean 'everyone'?)",
        ),
        id="unknown-value",
    ),
    pytest.param(
        (
            "findings.yaml",
            "when: {rule: F3}",
            "when: {rule: F33}",
            ("F33", 1),
            "unknown rule 'F33' (did you mean 'F3'?)",
        ),
        id="unknown-rule",
    ),
    pytest.param(
        (
            "findings.yaml",
            "sources: [{id: S2}]",
            "sources: [{id: S9}]",
            ("S9", 1),
            "unknown source 'S9'",
        ),
        id="unknown-source",
    ),
    pytest.param(
        (
            "flows.yaml",
            '    sources: [{id: S1, quote: "We collect your number."}]\n',
            "",
            ("id: F1", 1),
            "rules.0.sources: required field is missing; add it",
        ),
        id="missing-sources",
    ),
    pytest.param(
        (
            "sources.yaml",
            "    kind: press\n    checked: 2026-12-01\n",
            "    kind: press\n    checked: 2026-12-01\n  - {id: S3, title: Unused, publisher: X, url: 'https://x.org',"
            " date: 2020-01-01, kind: press, checked: 2026-12-01}\n",
            ("id: S3", 1),
            "source 'S3' is never cited; cite it or remove it",
        ),
        id="source-never-cited",
    ),
    pytest.param(
        ("flows.yaml", "  - id: F4", "  - id: F3", ("id: F3", 2), "duplicate rule id 'F3'"), id="duplicate-id"
    ),
    pytest.param(
        (
            "questions.yaml",
            '- {id: "yes", label: "Yes"}',
            '- {id: "yes", label: "Yes", when: {question: share, in: [always]}}',
            ("when: {question: share", 1),
            "'when' may only test questions asked earlier, not 'share'",
        ),
        id="value-when-tests-a-later-question",
    ),
    pytest.param(
        (
            "questions.yaml",
            "- {id: always, label: Always,",
            "- {id: always, when: {question: platform, in: [ipone]}, label: Always,",
            ("ipone", 1),
            "unknown value of 'platform' 'ipone' (did you mean 'iphone'?)",
        ),
        id="value-when-unknown-value",
    ),
    pytest.param(
        (
            "flows.yaml",
            "title: The service has your number",
            "title: [The service has your number",
            ("certainty: documented", 1),  # the parser notices on the next line
            "not valid YAML (did not find expected ',' or ']'); fix the syntax",
        ),
        id="yaml-error",
    ),
    pytest.param(
        (
            "flows.yaml",
            "to: [whatsapp], purposes",
            "to: [whatsapp, advertisers], purposes",
            ("advertisers", 1),
            "no flow may send phone_number to advertisers (the model's promise S8, S9, S17)",
        ),
        id="phone-number-to-advertisers",
    ),
    pytest.param(
        (
            "flows.yaml",
            F2_WHEN,
            "when: {rule: F3}",
            ("when: {rule: F3}", 1),
            "rule conditions refer to each other in a loop: F2 -> F3 -> F2",
        ),
        id="reference-loop",
    ),
    pytest.param(
        (
            "questions.yaml",
            SHARE_WHEN,
            "when: {rule: F2}",
            ("when: {rule: F2}", 1),
            "a question's 'when' may only test earlier questions, not rule 'F2'",
        ),
        id="question-depends-on-rule",
    ),
    pytest.param(
        (
            "questions.yaml",
            SHARE_WHEN,
            "when: {question: last_seen, in: [everyone]}",
            ("when: {question: last_seen", 1),
            "'when' may only test questions asked earlier, not 'last_seen'",
        ),
        id="question-depends-on-later-question",
    ),
    pytest.param(
        (
            "flows.yaml",
            F3_WHEN,
            'when: {all: [{question: linked, in: ["no"]}, {question: share, in: [always]}]}',
            ('in: ["no"]', 1),
            "rule 'F3' can never apply: it needs an answer to 'share', which is only asked when linked is "
            "yes or unknown, and its own condition rules that out",
        ),
        id="impossible-to-ask",
    ),
    pytest.param(
        (
            "flows.yaml",
            F4_WHEN,
            "when: {all: [{question: last_seen, in: [everyone]}, {question: last_seen, in: [nobody]}]}",
            ("in: [nobody]", 1),
            "rule 'F4' can never apply: its condition (last_seen is everyone and last_seen is nobody) is "
            "false for every answer",
        ),
        id="impossible-condition",
    ),
    pytest.param(
        (
            "flows.yaml",
            F4_WHEN,
            'when: {all: [{question: linked, in: ["no"]}, {not: {question: share, in: [always]}}]}',
            ("not: {question: share", 1),
            "rule 'F4' tests 'share', but 'share' is never asked when it applies (only when linked is yes "
            "or unknown); fix the condition",
        ),
        id="depends-on-a-question-it-keeps-from-being-asked",
    ),
    pytest.param(
        (
            "questions.yaml",
            SHARE_WHEN,
            'when: {all: [{question: linked, in: ["yes"]}, {question: linked, in: ["no"]}]}',
            ('in: ["no"]', 1),
            "question 'share' can never be asked: its 'when' (linked is yes and linked is no) is true for "
            "no answer",
        ),
        id="question-never-asked",
    ),
    pytest.param(
        (
            "vocabulary.yaml",
            "possible: 1.0",
            "possible: 0.5",
            ("possible: 0.5", 1),
            "'possible' must weigh at least as much as 'documented' and 'reported', so that an "
            "'I don't know' never scores lower than a real answer",
        ),
        id="unknown-would-look-safe",
    ),
    pytest.param(
        (
            "flows.yaml",
            "    certainty: reported\n",
            "    certainty: disputed\n",
            ("certainty: disputed", 1),
            "certainty 'disputed' needs a 'dispute' with the sources on each side ('says', 'denies') "
            "and which one is 'binding'",
        ),
        id="disputed-without-its-sources",
    ),
    pytest.param(
        (
            "flows.yaml",
            "    sources: [{id: S2}]",
            "    dispute: {binding: S1, says: [{id: S1}], denies: [{id: S2}]}\n    sources: [{id: S2}]",
            ("dispute:", 1),
            "a 'dispute' needs certainty 'disputed', not 'reported'",
        ),
        id="dispute-on-a-rule-not-disputed",
    ),
    pytest.param(
        (
            "flows.yaml",
            "    certainty: reported\n    flows:\n      - {data: [status_content, presence]",
            "    certainty: disputed\n    dispute: {binding: S1, says: [{id: S1}], denies: [{id: S9}]}\n"
            "    flows:\n      - {data: [status_content, presence]",
            ("denies: [{id: S9}]", 1),
            "unknown source 'S9'",
        ),
        id="dispute-denied-by-an-unknown-source",
    ),
    pytest.param(
        (
            "flows.yaml",
            "    certainty: reported\n    flows:\n      - {data: [status_content, presence]",
            "    certainty: disputed\n    dispute: {binding: S2, says: [{id: S9}], denies: [{id: S2}]}\n"
            "    flows:\n      - {data: [status_content, presence]",
            ("says: [{id: S9}]", 1),
            "unknown source 'S9'",
        ),
        id="dispute-said-by-an-unknown-source",
    ),
    pytest.param(
        (
            "flows.yaml",
            "    certainty: reported\n    flows:\n      - {data: [status_content, presence]",
            "    certainty: disputed\n    dispute:\n      binding: S2\n      denies: [{id: S2}]\n"
            "      says: [{id: S9}]\n    flows:\n      - {data: [status_content, presence]",
            ("says: [{id: S9}]", 1),
            "unknown source 'S9'",
        ),
        id="dispute-said-by-an-unknown-source-on-its-own-line",
    ),
    pytest.param(
        (
            "flows.yaml",
            "    certainty: reported\n    flows:\n      - {data: [status_content, presence]",
            "    certainty: disputed\n    dispute:\n      binding: S1\n      says: [{id: S1}]\n"
            "      denies: [{id: S9}]\n    flows:\n      - {data: [status_content, presence]",
            ("denies: [{id: S9}]", 1),
            "unknown source 'S9'",
        ),
        id="dispute-denied-by-an-unknown-source-on-its-own-line",
    ),
    pytest.param(
        (
            "flows.yaml",
            "    certainty: reported\n    flows:\n      - {data: [status_content, presence]",
            "    certainty: disputed\n    dispute:\n      says: [{id: S1}]\n      denies: [{id: S2}]\n"
            "      binding: S9\n    flows:\n      - {data: [status_content, presence]",
            ("binding: S9", 1),
            "unknown source of this dispute 'S9'",
        ),
        id="dispute-bound-by-a-source-on-neither-side-on-its-own-line",
    ),
    pytest.param(
        (
            "findings.yaml",
            "    when: {rule: F3}",
            "    when:\n      rule: F33",
            ("rule: F33", 1),
            "unknown rule 'F33' (did you mean 'F3'?)",
        ),
        id="unknown-rule-on-its-own-line",
    ),
    pytest.param(
        (
            "findings.yaml",
            "    sources: [{id: S2}]",
            '    sources: [{id: S2, when: {question: lnked, in: ["yes"]}}]',
            ("lnked", 1),
            "unknown question 'lnked' (did you mean 'linked'?)",
        ),
        id="citation-when-with-an-unknown-question",
    ),
    pytest.param(
        (
            "findings.yaml",
            "    sources: [{id: S2}]",
            '    sources:\n      - quote: "Said here."\n        id: S9',
            ("id: S9", 1),
            "unknown source 'S9'",
        ),
        id="citation-whose-id-is-not-its-first-line",
    ),
    pytest.param(
        (
            "flows.yaml",
            "    certainty: reported\n    flows:\n      - {data: [status_content, presence]",
            "    certainty: disputed\n    dispute: {binding: S9, says: [{id: S1}], denies: [{id: S2}]}\n"
            "    flows:\n      - {data: [status_content, presence]",
            ("binding: S9", 1),
            "unknown source of this dispute 'S9'",
        ),
        id="dispute-bound-by-a-source-on-neither-side",
    ),
    pytest.param(
        (
            "protections.yaml",
            "    sources: [{id: S1}]",
            "    except:\n"
            '      - {when: {question: linked, in: ["yes"]}, text: Not when linked., sources: []}\n'
            "    sources: [{id: S1}]",
            ("sources: []", 1),
            "protections.0.except.0.sources: Tuple should have at least 1 item after validation, not 0; "
            "fix this value",
        ),
        id="protection-exception-without-sources",
    ),
    pytest.param(
        (
            "protections.yaml",
            "    sources: [{id: S1}]",
            "    sources: [{id: S1}]\nrights:\n"
            "  - {id: ask, title: Ask them, how: Write to them., sources: [{id: S9}]}",
            ("S9", 1),
            "unknown source 'S9'",
        ),
        id="right-citing-an-unknown-source",
    ),
    pytest.param(
        (
            "protections.yaml",
            "    sources: [{id: S1}]",
            "    sources:\n      - id: S1\n      - id: S9",
            ("id: S9", 1),
            "unknown source 'S9'",
        ),
        id="protection-citing-an-unknown-source",
    ),
    pytest.param(
        (
            "protections.yaml",
            "    title: Messages are end-to-end encrypted\n",
            "    title: Messages are end-to-end encrypted\n    when: {question: lnked, in: [x]}\n",
            ("lnked", 1),
            "unknown question 'lnked' (did you mean 'linked'?)",
        ),
        id="protection-when-with-an-unknown-question",
    ),
    pytest.param(
        (
            "protections.yaml",
            "    sources: [{id: S1}]",
            "    sources: [{id: S1}]\n  - id: e2ee_messages\n    title: Again\n    sources: [{id: S1}]",
            ("id: e2ee_messages", 2),
            "duplicate protection id 'e2ee_messages'",
        ),
        id="duplicate-protection",
    ),
    pytest.param(
        (
            "vocabulary.yaml",
            "certainty_weights: {documented: 1.0, reported: 0.75, possible: 1.0}",
            "certainty_weights: {documented: 1.0, possible: 1.0}",
            ("certainty_weights", 1),
            "missing weight for 'reported'",
        ),
        id="missing-certainty-weight",
    ),
    pytest.param(
        (
            "vocabulary.yaml",
            "certainty_weights: {documented: 1.0, reported: 0.75, possible: 1.0}",
            "certainty_weights:\n  documented: 1.0\n  reported: 0.75\n  possible: 0.5",
            ("possible: 0.5", 1),
            "'possible' must weigh at least as much as 'documented' and 'reported', "
            "so that an 'I don't know' never scores lower than a real answer",
        ),
        id="possible-lighter-than-a-real-answer",
    ),
    pytest.param(
        (
            "protections.yaml",
            "    sources: [{id: S1}]",
            "    except:\n"
            "      - text: Not when linked.\n"
            "        sources: [{id: S1}]\n"
            "        when: {question: lnked, in: [x]}\n"
            "    sources: [{id: S1}]",
            ("lnked", 1),
            "unknown question 'lnked' (did you mean 'linked'?)",
        ),
        id="protection-exception-when-with-an-unknown-question",
    ),
    pytest.param(
        (
            "protections.yaml",
            "    sources: [{id: S1}]",
            "    except:\n"
            '      - when: {question: linked, in: ["yes"]}\n'
            "        text: Not when linked.\n"
            "        sources: [{id: S9}]\n"
            "    sources: [{id: S1}]",
            ("S9", 1),
            "unknown source 'S9'",
        ),
        id="protection-exception-citing-an-unknown-source",
    ),
    pytest.param(
        (
            "protections.yaml",
            "    sources: [{id: S1}]",
            "    sources: [{id: S1}]\nrights:\n"
            "  - id: ask\n    title: Ask them\n    how: Write to them.\n    sources: [{id: S1}]\n"
            "    when: {question: lnked, in: [x]}",
            ("lnked", 1),
            "unknown question 'lnked' (did you mean 'linked'?)",
        ),
        id="right-when-with-an-unknown-question",
    ),
    pytest.param(
        (
            "protections.yaml",
            "    sources: [{id: S1}]",
            "    sources: [{id: S1}]\nrights:\n"
            "  - {id: ask, title: Ask them, how: Write to them., sources: [{id: S1}]}\n"
            "  - title: Ask again\n    how: Write again.\n    sources: [{id: S1}]\n    id: ask",
            ("id: ask", 2),
            "duplicate right id 'ask'",
        ),
        id="duplicate-right",
    ),
    pytest.param(
        (
            "questions.yaml",
            "    section: extra\n",
            "    section: extr\n",
            ("section: extr", 1),
            "unknown section 'extr' (did you mean 'extra'?)",
        ),
        id="question-in-an-unknown-section",
    ),
    pytest.param(
        (
            "questions.yaml",
            "      - {id: nobody, label: Nobody}",
            "      - {id: nobody, label: Nobody}\n      - label: I do not know\n        id: unknown",
            ("id: unknown", 1),
            "value 'unknown' is reserved for 'I don't know'",
        ),
        id="value-unknown-is-reserved",
    ),
    pytest.param(
        (
            "questions.yaml",
            "      - {id: nobody, label: Nobody}",
            "      - {id: nobody, label: Nobody}\n      - label: Nobody again\n        id: nobody",
            ("id: nobody", 2),
            "value 'nobody' is listed twice",
        ),
        id="value-listed-twice",
    ),
    pytest.param(
        (
            "questions.yaml",
            "    prompt: Who sees your last seen?\n",
            "    prompt: Who sees your last seen?\n    help_if:\n"
            "      - text: Only if linked.\n        when: {question: lnked, in: [x]}\n",
            ("lnked", 1),
            "unknown question 'lnked' (did you mean 'linked'?)",
        ),
        id="help-variant-with-an-unknown-question",
    ),
    pytest.param(
        (
            "questions.yaml",
            "    prompt: Do you share status?\n",
            "    prompt: Do you share status?\n    help_if:\n"
            "      - text: Only if you are seen.\n        when: {question: last_seen, in: [everyone]}\n",
            ("when: {question: last_seen", 1),
            "'when' may only test questions asked earlier, not 'last_seen'",
        ),
        id="help-variant-testing-a-later-question",
    ),
    pytest.param(
        (
            "questions.yaml",
            "    change: {from: [yes], to: [no]}",
            "    change:\n      to: [no]\n      from: [yess]",
            ("yess", 1),
            "unknown value of 'linked' 'yess' (did you mean 'yes'?)",
        ),
        id="change-from-an-unknown-value",
    ),
    pytest.param(
        (
            "questions.yaml",
            "    change: {from: [yes], to: [no]}",
            "    change:\n      to: [noo]\n      from: [yes]",
            ("noo", 1),
            "unknown value of 'linked' 'noo' (did you mean 'no'?)",
        ),
        id="change-to-an-unknown-value",
    ),
    pytest.param(
        (
            "questions.yaml",
            '      - {id: "yes", label: "Yes"}',
            '      - id: "yes"\n        label: "Yes"\n        implies:\n          last_seen: [nobody]\n'
            "          shar: [never]",
            ("shar:", 1),
            "unknown question 'shar' (did you mean 'share'?)",
        ),
        id="implies-an-unknown-question",
    ),
    pytest.param(
        (
            "questions.yaml",
            "      - {id: never, label: Never}",
            "      - id: never\n        label: Never\n        implies:\n          last_seen: [nobody]\n"
            '          linked: ["no"]',
            ('linked: ["no"]', 1),
            "'share' may only imply answers to later questions, not 'linked'",
        ),
        id="implies-an-earlier-question",
    ),
    pytest.param(
        (
            "questions.yaml",
            "      - {id: never, label: Never}",
            "      - id: never\n        label: Never\n        implies:\n          last_seen: [nobody]\n"
            "          share: [always]",
            ("share: [always]", 1),
            "'share' may only imply answers to later questions, not 'share'",
        ),
        id="implies-its-own-question",
    ),
    pytest.param(
        (
            "questions.yaml",
            '      - {id: "yes", label: "Yes"}',
            '      - id: "yes"\n        label: "Yes"\n        implies:\n          last_seen: [nobody]\n'
            "          share: []",
            ("share: []", 1),
            "name at least one value of 'share'",
        ),
        id="implies-no-value",
    ),
    pytest.param(
        (
            "questions.yaml",
            '      - {id: "yes", label: "Yes"}',
            '      - id: "yes"\n        label: "Yes"\n        implies:\n          last_seen: [nobody]\n'
            "          share:\n            - never\n            - alway",
            ("alway", 1),
            "unknown value of 'share' 'alway' (did you mean 'always'?)",
        ),
        id="implies-an-unknown-value",
    ),
    # Block style puts each key of a `when` and each item of a flow on a line of its own: the line
    # reported is the key's, not the rule's.
    pytest.param(
        (
            "flows.yaml",
            F4_WHEN,
            "when:\n      in: [everyone]\n      question: lst_seen",
            ("lst_seen", 1),
            "unknown question 'lst_seen' (did you mean 'last_seen'?)",
        ),
        id="unknown-question-on-its-own-line",
    ),
    pytest.param(
        (
            "flows.yaml",
            F4_WHEN,
            "when:\n      question: last_seen\n      in:\n        - everyone\n        - everyon",
            ("- everyon", 2),
            "unknown value of 'last_seen' 'everyon' (did you mean 'everyone'?)",
        ),
        id="unknown-value-on-its-own-line",
    ),
    pytest.param(
        (
            "questions.yaml",
            SHARE_WHEN,
            "when:\n      in: [everyone]\n      question: last_seen",
            ("question: last_seen", 1),
            "'when' may only test questions asked earlier, not 'last_seen'",
        ),
        id="later-question-on-its-own-line",
    ),
    pytest.param(
        (
            "questions.yaml",
            SHARE_WHEN,
            'when:\n      all:\n        - {question: linked, in: ["yes"]}\n        - rule: F2',
            ("rule: F2", 1),
            "a question's 'when' may only test earlier questions, not rule 'F2'",
        ),
        id="question-depends-on-rule-on-its-own-line",
    ),
    pytest.param(
        (
            "flows.yaml",
            "      - {data: [presence], to: [anyone_with_number], purposes: [visibility]}",
            "      - to: [anyone_with_number]\n        purposes: [visibility]\n        data:\n"
            "          - presence\n          - presense",
            ("- presense", 1),
            "unknown data category 'presense' (did you mean 'presence'?)",
        ),
        id="unknown-data-category",
    ),
    pytest.param(
        (
            "flows.yaml",
            "      - {data: [presence], to: [anyone_with_number], purposes: [visibility]}",
            "      - data: [presence]\n        purposes: [visibility]\n        to:\n"
            "          - anyone_with_number\n          - anyone_with_numbr",
            ("- anyone_with_numbr", 1),
            "unknown recipient 'anyone_with_numbr' (did you mean 'anyone_with_number'?)",
        ),
        id="unknown-recipient",
    ),
    pytest.param(
        (
            "flows.yaml",
            "      - {data: [presence], to: [anyone_with_number], purposes: [visibility]}",
            "      - data: [presence]\n        to: [anyone_with_number]\n        purposes: [visibilty]",
            ("visibilty", 1),
            "unknown purpose 'visibilty' (did you mean 'visibility'?)",
        ),
        id="unknown-purpose",
    ),
    pytest.param(
        (
            "flows.yaml",
            F3_WHEN,
            "when: {all: [{rule: F22}, {question: share, in: [always]}]}",
            ("F22", 1),
            "unknown rule 'F22' (did you mean 'F2'?)",
        ),
        id="rule-reads-an-unknown-rule",
    ),
    pytest.param(
        (
            "findings.yaml",
            "    when: {rule: F3}",
            "    when:\n      any:\n        - rule: F3\n        - question: lnked\n          in: [x]",
            ("question: lnked", 1),
            "unknown question 'lnked' (did you mean 'linked'?)",
        ),
        id="unknown-question-in-any",
    ),
    pytest.param(
        (
            "findings.yaml",
            "    when: {rule: F3}",
            "    when:\n      not:\n        question: lnked\n        in: [x]",
            ("question: lnked", 1),
            "unknown question 'lnked' (did you mean 'linked'?)",
        ),
        id="unknown-question-under-not",
    ),
    pytest.param(
        (
            "questions.yaml",
            '      - {id: "yes", label: "Yes"}',
            '      - id: "yes"\n        label: "Yes"\n        implies:\n          shar: [never]\n'
            "          last_seen: [nobdy]",
            ("nobdy", 1),
            "unknown value of 'last_seen' 'nobdy' (did you mean 'nobody'?)",
        ),
        id="implies-more-after-an-unknown-question",
    ),
    pytest.param(
        (
            "sources.yaml",
            "    kind: press\n",
            "    kind: press\n    checked: 2026-12-01\n  - title: An unused page\n    id: S3\n"
            "    publisher: Example\n    url: https://example.org/unused\n    date: 2025-01-01\n"
            "    kind: official\n",
            ("id: S3", 1),
            "source 'S3' is never cited; cite it or remove it",
        ),
        id="source-never-cited",
    ),
    # A finding's own references: its dispute, the rules it names, and its fix.
    pytest.param(
        (
            "findings.yaml",
            "    certainty: reported\n",
            "    certainty: disputed\n",
            ("certainty: disputed", 1),
            "certainty 'disputed' needs a 'dispute' with the sources on each side ('says', 'denies') "
            "and which one is 'binding'",
        ),
        id="finding-disputed-without-its-sources",
    ),
    pytest.param(
        (
            "findings.yaml",
            "    flows_from: [F3]\n",
            "    flows_from:\n      - F33\n",
            ("- F33", 1),
            "unknown rule 'F33' (did you mean 'F3'?)",
        ),
        id="finding-from-an-unknown-rule",
    ),
    pytest.param(
        (
            "findings.yaml",
            '      question: linked\n      to: "no"\n',
            '      to: "no"\n      question: lnked\n',
            ("question: lnked", 1),
            "unknown question 'lnked' (did you mean 'linked'?)",
        ),
        id="fix-of-an-unknown-question",
    ),
    pytest.param(
        (
            "findings.yaml",
            '      question: linked\n      to: "no"\n',
            "      question: linked\n      to: noo\n",
            ("to: noo", 1),
            "unknown value of 'linked' 'noo' (did you mean 'no'?)",
        ),
        id="fix-to-an-unknown-value",
    ),
    pytest.param(
        (
            "findings.yaml",
            '      question: linked\n      to: "no"\n',
            "      question: platform\n      to: iphone\n",
            ("to: iphone", 1),
            "the person cannot change 'platform' to 'iphone' (see its 'change')",
        ),
        id="fix-of-a-question-that-cannot-change",
    ),
    pytest.param(
        (
            "findings.yaml",
            '      question: linked\n      to: "no"\n',
            '      question: linked\n      to: "yes"\n',
            ('to: "yes"', 1),
            "the person cannot change 'linked' to 'yes' (see its 'change')",
        ),
        id="fix-to-a-value-its-change-does-not-allow",
    ),
]


def line_of(text: str, marker: str, occurrence: int) -> int:
    hits = [i for i, line in enumerate(text.splitlines(), 1) if marker in line]
    return hits[occurrence - 1]


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_pack_is_reported_at_its_line(
    mini_pack_dir: Path,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    case: tuple[str, str, str, tuple[str, int], str],
) -> None:
    file, old, new, marker, message = case
    path = mini_pack_dir / file
    text = path.read_text()
    assert old in text, "the mini pack changed: update this test"
    text = text.replace(old, new, 1)
    path.write_text(text)
    code = main(["rules", "check", str(mini_pack_dir)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert f"{path}:{line_of(text, *marker)}: {message}" in err, "\n".join(err)
    assert err[-1].startswith("wa-audit: ")
    assert err[-1].endswith(f"problem(s) in {mini_pack_dir}")


# Each list whose ids must be unique: (file, the second item's id line as written, the first's id, what).
DUPLICATES = [
    ("vocabulary.yaml", "{id: status_content,", "phone_number", "data category"),
    ("vocabulary.yaml", "{id: meta_companies,", "whatsapp", "recipient"),
    ("vocabulary.yaml", "{id: ads,", "operate_service", "purpose"),
    ("sources.yaml", "  - id: S2", "S1", "source"),
    ("questions.yaml", "  - id: linked", "platform", "question"),
    ("findings.yaml", "  - id: public_last_seen", "linked_and_sharing", "finding"),
]


@pytest.mark.parametrize("case", DUPLICATES, ids=lambda c: c[3])
def test_a_duplicate_id_is_reported_in_its_file_at_its_line(
    mini_pack_dir: Path, home: Path, capsys: pytest.CaptureFixture[str], case: tuple[str, str, str, str]
) -> None:
    file, second, first, what = case
    path = mini_pack_dir / file
    text = path.read_text()
    assert second in text, "the mini pack changed: update this test"
    duplicated = second.replace(second.split("id: ")[1].rstrip(","), first)
    text = text.replace(second, duplicated, 1)
    path.write_text(text)
    assert main(["rules", "check", str(mini_pack_dir)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert f"{path}:{line_of(text, duplicated, 2)}: duplicate {what} id '{first}'" in err, "\n".join(err)


def test_a_disputed_finding_needs_the_disputed_weight(
    mini_pack_dir: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`disputed` needs a weight wherever something is disputed: a finding counts as much as a rule."""
    edit_pack_file(
        mini_pack_dir / "findings.yaml",
        "    certainty: reported\n",
        "    certainty: disputed\n    dispute: {binding: S2, says: [{id: S2}], denies: [{id: S1}]}\n",
    )
    assert main(["rules", "check", str(mini_pack_dir)]) == 2
    vocabulary = mini_pack_dir / "vocabulary.yaml"
    line = line_of(vocabulary.read_text(), "certainty_weights", 1)
    assert f"{vocabulary}:{line}: missing weight for 'disputed'" in capsys.readouterr().err.splitlines()


def test_a_missing_possible_weight_is_one_line_not_a_crash(
    mini_pack_dir: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vocabulary = mini_pack_dir / "vocabulary.yaml"
    edit_pack_file(vocabulary, "reported: 0.75, possible: 1.0}", "reported: 0.75}")
    assert main(["rules", "check", str(mini_pack_dir)]) == 2
    err = capsys.readouterr().err
    line = line_of(vocabulary.read_text(), "certainty_weights", 1)
    assert f"{vocabulary}:{line}: missing weight for 'possible'" in err.splitlines()
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "when",
    [
        "{all: [{rule: F33}, {question: lnked, in: [x]}]}",
        "{all: [{question: lnked, in: [x]}, {question: last_seen, in: [everyon]}]}",
    ],
)
def test_every_problem_of_a_when_is_reported(
    mini_pack_dir: Path, home: Path, capsys: pytest.CaptureFixture[str], when: str
) -> None:
    """A test of a `when` that names something unknown does not hide the problems of the next."""
    path = mini_pack_dir / "findings.yaml"
    text = path.read_text()
    assert "when: {rule: F3}" in text, "the mini pack changed: update this test"
    path.write_text(text.replace("when: {rule: F3}", f"when: {when}", 1))
    assert main(["rules", "check", str(mini_pack_dir)]) == 2
    err = capsys.readouterr().err
    assert ("unknown rule 'F33'" in err) is ("F33" in when)
    assert "unknown question 'lnked'" in err
    assert ("unknown value of 'last_seen' 'everyon'" in err) is ("everyon" in when)


def test_every_finding_is_checked_after_a_fix_of_an_unknown_question(
    mini_pack_dir: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = mini_pack_dir / "findings.yaml"
    edit_pack_file(findings, "      question: linked\n", "      question: lnked\n")
    edit_pack_file(findings, "when: {rule: F4}", "when: {rule: F44}")
    assert main(["rules", "check", str(mini_pack_dir)]) == 2
    err = capsys.readouterr().err
    assert "unknown question 'lnked'" in err
    assert "unknown rule 'F44'" in err


def test_every_problem_of_a_questions_when_is_reported(
    mini_pack_dir: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A question's `when` that tests a rule does not hide the next test's problem."""
    path = mini_pack_dir / "questions.yaml"
    old = 'when: {question: linked, in: ["yes", unknown]}'
    text = path.read_text()
    assert old in text, "the mini pack changed: update this test"
    path.write_text(text.replace(old, "when: {all: [{rule: F2}, {question: lnked, in: [x]}]}", 1))
    assert main(["rules", "check", str(mini_pack_dir)]) == 2
    err = capsys.readouterr().err
    assert "a question's 'when' may only test earlier questions, not rule 'F2'" in err
    assert "unknown question 'lnked' (did you mean 'linked'?)" in err


def test_the_bundled_pack_passes(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{default_pack_dir()}: ok")
    assert not [line for line in captured.err.splitlines() if ": warning: " not in line]


def test_warnings_do_not_fail_the_check(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mini = ROOT / "tests" / "data" / "packs" / "mini"
    assert main(["rules", "check", str(mini)]) == 0
    captured = capsys.readouterr()
    # Nothing tests the mini pack's platform question: its answer changes nothing.
    assert f"{mini}/questions.yaml:2: warning: question 'platform' is tested by no rule" in captured.err
    assert captured.out == f"{mini}: ok (1 warning(s))\n"
    load_pack(mini)  # warnings never refuse a pack


def test_a_pack_with_an_error_is_refused_at_load(mini_pack_dir: Path) -> None:
    path = mini_pack_dir / "flows.yaml"
    path.write_text(path.read_text().replace("to: [whatsapp], purposes", "to: [advertisers], purposes"))
    from audit.errors import PackError

    with pytest.raises(PackError, match="no flow may send phone_number to advertisers"):
        load_pack(mini_pack_dir)


# --- rules show ------------------------------------------------------------------------------
def test_show_markdown_reads_the_model_per_recipient(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mini = ROOT / "tests" / "data" / "packs" / "mini"
    assert main(["--rules", str(mini), "rules", "show", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    # Recipients in vocabulary order, each with what it gets.
    headings = re.findall(r"^## (.+)$", out, flags=re.MULTILINE)
    assert headings == [
        "WhatsApp",
        "Meta companies",
        "Advertisers",
        "Anyone with your number",
        "What stays protected",
        "Questions and answers, by id (for answers files and --set)",
    ]
    meta = out.split("## Meta companies")[1].split("## Advertisers")[0]
    assert "- **Status updates** (F2: Linking shares status with Meta)" in meta
    assert "  - if: Is it linked? = Yes" in meta
    f2 = "rule F2 applies (\u201cLinking shares status with Meta\u201d)"
    assert f"  - if: {f2} and Do you share status? = Always" in meta
    assert "  - certainty: reported (regulators or the press say so; no official text found)" in meta
    assert "    - S2: A news story, Example press, 2025-06-16, <https://example.org/news>" in meta
    assert "Nothing goes here in this model." in out.split("## Advertisers")[1].split("##")[0]
    assert "      - \u201cWe collect your number.\u201d" in out
    assert "- **Messages are end-to-end encrypted**" in out.split("## What stays protected")[1]


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_show_lists_every_question_id_and_value(
    fmt: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What an answers file or --set needs: each id and value, as written there (errors point here).
    from audit.load.resources import default_pack_dir

    assert main(["rules", "show", "--format", fmt]) == 0
    listed = capsys.readouterr().out.split("Questions and answers, by id")[1]
    pack = load_pack(default_pack_dir())
    for q in pack.questions:
        line = next(line for line in listed.splitlines() if re.match(rf"^(- `)?{q.id}`?: ", line))
        assert q.prompt[:30] in line
        block = listed.split(line)[1].split("\n-")[0] if fmt == "markdown" else listed.split(line)[1]
        for v in q.values:
            assert re.search(rf"(^|[ `]){v.id}(` \(|  +\S)", block, re.M), (q.id, v.id)


def test_show_escapes_untrusted_pack_text(mini_pack_dir: Path) -> None:
    path = mini_pack_dir / "flows.yaml"
    path.write_text(
        path.read_text().replace("title: Everyone sees your last seen", "title: '*All* <b>see</b> [it](x)'")
    )
    out = model_guide.markdown(load_pack(mini_pack_dir))
    # The report's escaper: an escaped "<" cannot open HTML, so ">" needs no backslash.
    assert r"\*All\* \<b>see\</b> \[it\](x)" in out
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(out)
    assert "*All* &lt;b&gt;see&lt;/b&gt; [it](x)" in rendered, "shown as the text it is"
    assert "<b>" not in rendered


def test_show_markdown_keeps_a_heading_s_closing_hash(mini_pack_dir: Path) -> None:
    """At a heading's end " #" would be read as its closing sequence and dropped: it is escaped."""
    edit_pack_file(mini_pack_dir / "vocabulary.yaml", "label: Meta companies,", "label: 'Meta companies #',")
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(model_guide.markdown(load_pack(mini_pack_dir)))
    assert "<h2>Meta companies #</h2>" in rendered


@pytest.mark.parametrize("width", [60, 120])
def test_show_in_the_terminal_fills_the_width_it_is_given(width: int) -> None:
    from rich.cells import cell_len

    lines = model_guide.terminal(load_pack(default_pack_dir()), width=width).splitlines()
    # A web address stays whole on its own line, however long, so that it can be opened.
    text = [line for line in lines if not line.strip().startswith("https://")]
    assert width - 10 < max(map(cell_len, text)) <= width


def test_show_in_the_terminal_is_plain_when_piped(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "show"]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    assert all(line == line.rstrip() for line in out.splitlines())
    pack = load_pack(default_pack_dir())
    positions = [out.index(r.label) for r in pack.vocabulary.recipients]
    assert positions == sorted(positions)
    for rule in pack.rules:
        assert f"{rule.id}: " in out
    for cited in (*pack.rules, *pack.protections):  # findings are the report's, not the guide's
        for c in cited.sources:
            assert pack.source_by_id[c.id].url in out
    assert "Advertisers" in out
    assert out.index("What stays protected") > positions[-1]


def test_multi_valued_conditions_are_quoted(home: Path) -> None:
    pack = load_pack(default_pack_dir())
    f1 = pack.rule_by_id["F1"]
    words = labels.condition_words(pack, f1.when)
    assert words.startswith(pack.question_by_id["region"].prompt + " = one of \u201c")


def test_markdown_needs_no_rich() -> None:
    code = (
        "import sys; from audit.render import model_guide; from audit.load.read import load_pack; "
        "from audit.load.resources import default_pack_dir; "
        "model_guide.markdown(load_pack(default_pack_dir())); "
        "print('rich' in sys.modules, 'jinja2' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    assert result.stdout.strip() == "False False"


def test_every_problem_is_reported_not_only_the_first_schema_error(
    mini_pack_dir: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two schema errors in two files and a cross-reference error in a third: all three are listed
    # (the check used to stop at the first schema error and hide the rest behind it).
    edits = {
        "vocabulary.yaml": ("sensitivity: 3", "sensitivity: high"),
        "findings.yaml": ("severity: high", "severity: 7"),
        "flows.yaml": ("{question: linked,", "{question: linkd,"),
    }
    for file, (old, new) in edits.items():
        path = mini_pack_dir / file
        assert old in path.read_text(), "the mini pack changed: update this test"
        path.write_text(path.read_text().replace(old, new, 1))
    code = main(["rules", "check", str(mini_pack_dir)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[-1] == f"wa-audit: 3 problem(s) in {mini_pack_dir}"
    problems = "\n".join(err[:-1])
    assert f"{mini_pack_dir}/vocabulary.yaml:" in problems
    assert "data_categories.0.sensitivity" in problems
    assert f"{mini_pack_dir}/findings.yaml:" in problems
    assert "findings.0.severity" in problems
    assert "unknown question 'linkd' (did you mean 'linked'?)" in problems


def test_an_item_with_a_schema_error_is_not_reported_again_as_unknown(
    mini_pack_dir: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Rule F3 has a bad certainty: it is left out of the cross-checks, and the finding that cites
    # it is not reported for an "unknown rule 'F3'" on top.
    path = mini_pack_dir / "flows.yaml"
    text = path.read_text()
    assert "certainty: reported\n" in text, "the mini pack changed: update this test"
    path.write_text(text.replace("certainty: reported\n", "certainty: sure\n", 1))
    assert main(["rules", "check", str(mini_pack_dir)]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if ": warning: " not in line]
    assert err[0].startswith(f"{path}:18: rules.2.certainty: "), err
    assert err[1:] == [f"wa-audit: 1 problem(s) in {mini_pack_dir}"]


def test_the_folder_around_a_pack_names_the_pack_inside(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "README.txt").write_text("packs live in the folders here\n")
    import shutil

    shutil.copytree(ROOT / "tests" / "data" / "packs" / "mini", rules / "mini")
    assert main(["rules", "check", str(rules)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{rules}/pack.yaml: missing; {rules} is the folder around a pack: give the pack folder {rules}/mini",
        f"wa-audit: 1 problem(s) in {rules}",
    ]
    assert main(["rules", "check", str(rules / "mini")]) == 0
