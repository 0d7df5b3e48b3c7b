#!/usr/bin/env python3
"""Checks the event contract (docs/events/) with the reference JSON Schema implementation.

The Swift contract tests (Tests/EventsTests) use Relance's own small validator; this script
checks the same documents with Python `jsonschema` (>= 4.18, with `referencing`) and PyYAML,
so a mistake shared by our validator and our schemas does not go unnoticed:

1. every schema file (docs/events/schemas/*.json) and the header schemas of asyncapi.yaml are
   valid against the draft 2020-12 meta-schema;
2. every event schema names its record key (`x-relance-record-key`): a JSON Pointer into the
   event data, required all along the pointer; or, for events not always about a known
   customer, a list of alternatives `{"pointer", "prefix"?}` (the key is the prefix plus the
   string at the first pointer holding one), whose last pointer is always there and earlier
   ones may be absent;
3. every example of every schema validates (formats asserted) and has a record key;
4. asyncapi.yaml lists one message per schema, with the schema file, the `ce_type` and one
   key trait: `keyedByCustomer` for a plain pointer rule, another `keyedBy...` trait for a list;
5. with --captured DIR: every event captured by the end-to-end tests (one JSON file per record,
   written by Tests/EndToEndTests when RELANCE_CAPTURED_EVENTS_DIR is set) has a known
   `ce_type`, a value valid against that type's schema, headers valid against the AsyncAPI
   message's header schema, was read from the channel that carries its type, and its record
   key equals what the schema's key rule gives.

Before checking, a self-test feeds deliberately invalid schemas, examples and captured records
to the same checks and fails if any of them is accepted: a check that cannot fail is a defect.

Exit code 0 when everything is valid, 1 otherwise (or 2 on bad usage).

Usage: Deploy/local/check-events.py [--captured DIR [--require-captured]
                                     [--swift-test-arguments ARG...]]
  --require-captured        fail when DIR holds no captured event.
  --swift-test-arguments    the arguments `swift test` ran with (run-tests.sh passes its own):
                            captured events are required when they select the end-to-end
                            tests (no --filter, or a --filter matching them, and no --skip
                            matching them).
  A DIR in which an end-to-end test left its start marker (_capture-started-*) must hold events
  in any case.
"""

from __future__ import annotations

import argparse
import copy
import json
import pathlib
import re
import sys

try:
    import yaml
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as error:  # pragma: no cover - environment problem, not a contract problem
    sys.exit(f"check-events: {error}; install with `python3 -m pip install 'jsonschema>=4.18' pyyaml`")

ROOT = pathlib.Path(__file__).resolve().parents[2]
EVENTS = ROOT / "docs" / "events"
SCHEMAS = EVENTS / "schemas"
ASYNCAPI = EVENTS / "asyncapi.yaml"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
KEY_RULE = "x-relance-record-key"
KEY_TRAIT = "#/components/messageTraits/keyedByCustomer"
KEY_TRAIT_PREFIX = "#/components/messageTraits/keyedBy"
ASYNCAPI_URI = "urn:relance:asyncapi"
CAPTURE_MARKER = "_capture-started-"
# The identifier `swift test --filter/--skip` patterns are matched against for the capturing test.
CAPTURING_TEST = "EndToEndTests.InvoicingEndToEndTests/issuedInvoiceIsPublishedAndADoublyDeliveredAllocationPaysItOnce()"
DEFAULT_TOPIC_PREFIX = "relance."

META_VALIDATOR = Draft202012Validator(Draft202012Validator.META_SCHEMA)


class Contract:
    """The loaded documents: schema files by name, the AsyncAPI document, a `$ref` registry."""

    def __init__(self, schemas: dict[str, dict], asyncapi: dict):
        self.schemas = schemas
        self.asyncapi = asyncapi
        resources = [(s["$id"], Resource.from_contents(s)) for s in schemas.values() if isinstance(s.get("$id"), str)]
        resources.append((ASYNCAPI_URI, Resource.from_contents(asyncapi, default_specification=DRAFT202012)))
        self.registry = Registry().with_resources(resources)

    @classmethod
    def load(cls) -> "Contract":
        schemas = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMAS.glob("*.json"))}
        asyncapi = yaml.safe_load(ASYNCAPI.read_text(encoding="utf-8"))
        return cls(schemas, asyncapi)

    @property
    def event_schemas(self) -> dict[str, dict]:
        """The schema of each event type, by `ce_type` (every file but common.json)."""
        return {name.removesuffix(".json"): s for name, s in self.schemas.items() if name != "common.json"}

    def validator(self, schema: dict) -> Draft202012Validator:
        return Draft202012Validator(schema, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def messages(self) -> dict[str, tuple[str, dict]]:
        """AsyncAPI messages carrying an event type: `ce_type` -> (message id, message)."""
        found = {}
        for message_id, message in (self.asyncapi.get("components", {}).get("messages") or {}).items():
            name = message.get("name", "")
            if name.startswith("relance."):
                found[name] = (message_id, message)
        return found

    def channel_address(self, message_id: str) -> str | None:
        """The address of the channel listing a message."""
        reference = f"#/components/messages/{message_id}"
        for channel in (self.asyncapi.get("channels") or {}).values():
            for entry in (channel.get("messages") or {}).values():
                if entry.get("$ref") == reference:
                    return channel.get("address")
        return None


def resolve_pointer(document, pointer: str):
    """The value at a JSON Pointer (RFC 6901), or raises LookupError."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise LookupError(f"{pointer!r} is not a JSON Pointer")
    value = document
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            raise LookupError(f"{pointer} has no value")
    return value


def key_alternatives(rule) -> list[tuple[str, str]] | None:
    """A key rule as (pointer, prefix) alternatives, or None when it is malformed.

    A plain JSON Pointer is one alternative without prefix; a list holds objects with a
    `pointer` and an optional `prefix` (and nothing else)."""
    if isinstance(rule, str):
        return [(rule, "")]
    if not isinstance(rule, list) or not rule:
        return None
    alternatives = []
    for item in rule:
        if not isinstance(item, dict) or not isinstance(item.get("pointer"), str) or not set(item) <= {"pointer", "prefix"}:
            return None
        prefix = item.get("prefix", "")
        if not isinstance(prefix, str):
            return None
        alternatives.append((item["pointer"], prefix))
    return alternatives


def record_key(schema: dict, data) -> tuple[str | None, str | None]:
    """The record key an event's data must carry by its schema's key rule: (key, problem).

    The first alternative whose pointer holds a non-empty string gives the key (with its
    prefix); absent and null members are skipped."""
    alternatives = key_alternatives(schema.get(KEY_RULE))
    if alternatives is None:
        return None, f"the schema has no valid {KEY_RULE}"
    tried = []
    for pointer, prefix in alternatives:
        try:
            key = resolve_pointer(data, pointer)
        except LookupError:
            key = None
        if isinstance(key, str) and key:
            return prefix + key, None
        tried.append(f"{pointer} is {key!r}")
    return None, "no non-empty string where the key rule points: " + ", ".join(tried)


def describe(error) -> str:
    where = "/" + "/".join(str(part) for part in error.absolute_path)
    return f"{where}: {error.message} [{error.validator} at {'/'.join(str(p) for p in error.absolute_schema_path)}]"


# MARK: checks (each returns a list of problems; the self-test calls the same functions)


def check_meta(name: str, schema: dict, require_dialect: bool = True) -> list[str]:
    problems = []
    if require_dialect and schema.get("$schema") != DRAFT_2020_12:
        problems.append(f"{name}: $schema is {schema.get('$schema')!r}, not {DRAFT_2020_12}")
    problems += [f"{name}: not a valid draft 2020-12 schema: {describe(e)}" for e in META_VALIDATOR.iter_errors(schema)]
    return problems


def pointer_presence(contract: Contract, schema: dict, pointer: str) -> tuple[bool | None, str]:
    """Whether the schema always has a value at a pointer: (True, ""), (False, why not), or
    (None, problem) when a step names no property. An array index is never always there (an
    array may be empty); optional members reached through `anyOf` with null are not either."""
    resolver = contract.registry.resolver(base_uri=schema.get("$id", ""))
    current = schema
    always, why = True, ""
    for token in pointer[1:].split("/"):
        while isinstance(current, dict) and ("$ref" in current or "anyOf" in current):
            if "$ref" in current:
                resolved = resolver.lookup(current["$ref"])
                current, resolver = resolved.contents, resolved.resolver
            else:
                branches = [b for b in current["anyOf"] if b.get("type") != "null"]
                if len(branches) != 1:
                    return None, f"{pointer}: {token!r} is under an anyOf of several branches"
                current = branches[0]
        if isinstance(current, dict) and "items" in current and token.isdigit():
            current = current["items"]
            always, why = False, why or f"{token!r} is an index into an array that may be empty"
            continue
        if not isinstance(current, dict) or token not in (current.get("properties") or {}):
            return None, f"{pointer}: no property {token!r}"
        if token not in (current.get("required") or []):
            always, why = False, why or f"{token!r} is optional"
        current = current["properties"][token]
    return always, why


def check_key_rule(contract: Contract, event_type: str, schema: dict) -> list[str]:
    """The key rule exists; a plain pointer names a property required at every step; in a
    list, the last alternative is always there and the earlier ones may be absent (else the
    ones after them could never apply)."""
    rule = schema.get(KEY_RULE)
    alternatives = key_alternatives(rule)
    if alternatives is None:
        return [f"{event_type}: {KEY_RULE} must be a JSON Pointer into the event data or a list of {{pointer, prefix}}, found {rule!r}"]
    problems = []
    for index, (pointer, prefix) in enumerate(alternatives):
        if not pointer.startswith("/") or len(pointer) < 2:
            problems.append(f"{event_type}: {KEY_RULE} {pointer!r} is not a JSON Pointer to a member")
            continue
        always, why = pointer_presence(contract, schema, pointer)
        last = index == len(alternatives) - 1
        if always is None:
            problems.append(f"{event_type}: {KEY_RULE} {why}")
        elif last and not always:
            problems.append(f"{event_type}: {KEY_RULE} {pointer}: {why}, a record key must always be there")
        elif not last and always:
            problems.append(f"{event_type}: {KEY_RULE} {pointer} is always there, so the alternatives after it never apply")
        if index > 0 and not prefix:
            problems.append(f"{event_type}: {KEY_RULE} {pointer}: a fallback alternative needs a prefix, or its key could collide with a customer id")
    return problems


def check_examples(contract: Contract, event_type: str, schema: dict) -> tuple[int, list[str]]:
    problems = []
    examples = schema.get("examples") or []
    if not examples:
        problems.append(f"{event_type}: no examples")
    validator = contract.validator(schema)
    for index, example in enumerate(examples):
        problems += [f"{event_type} example {index}: {describe(e)}" for e in validator.iter_errors(example)]
        _, problem = record_key(schema, example)
        if problem:
            problems.append(f"{event_type} example {index}: record key: {problem}")
    return len(examples), problems


def check_asyncapi(contract: Contract) -> tuple[int, list[str]]:
    """Messages and schema files agree; returns the number of header schemas checked."""
    problems = []
    doc = contract.asyncapi
    if doc.get("asyncapi") != "3.0.0":
        problems.append(f"asyncapi.yaml: asyncapi is {doc.get('asyncapi')!r}, expected 3.0.0")
    header_schemas = (doc.get("components") or {}).get("schemas") or {}
    for name, schema in header_schemas.items():
        problems += check_meta(f"asyncapi.yaml components.schemas.{name}", schema, require_dialect=False)
    messages = contract.messages()
    for event_type in contract.event_schemas:
        if event_type not in messages:
            problems.append(f"asyncapi.yaml: no message named {event_type}")
    for event_type, (message_id, message) in messages.items():
        where = f"asyncapi.yaml components.messages.{message_id}"
        if event_type not in contract.event_schemas:
            problems.append(f"{where}: {event_type} has no schema file")
        reference = ((message.get("payload") or {}).get("schema") or {}).get("$ref")
        if reference != f"./schemas/{event_type}.json":
            problems.append(f"{where}: payload schema is {reference!r}, expected ./schemas/{event_type}.json")
        all_of = (message.get("headers") or {}).get("allOf") or []
        constants = [((part.get("properties") or {}).get("ce_type") or {}).get("const") for part in all_of]
        if event_type not in constants:
            problems.append(f"{where}: headers do not fix ce_type to {event_type}")
        traits = [trait.get("$ref") for trait in message.get("traits") or []]
        key_traits = [t for t in traits if isinstance(t, str) and t.startswith(KEY_TRAIT_PREFIX)]
        plain = isinstance((contract.event_schemas.get(event_type) or {}).get(KEY_RULE), str)
        if plain and key_traits != [KEY_TRAIT]:
            problems.append(f"{where}: keyed by customer id (plain key rule), so its only key trait must be {KEY_TRAIT}, found {key_traits}")
        if not plain and (len(key_traits) != 1 or KEY_TRAIT in key_traits):
            problems.append(f"{where}: not keyed by customer id alone, so one key trait other than {KEY_TRAIT}, found {key_traits}")
        trait_names = ((doc.get("components") or {}).get("messageTraits") or {}).keys()
        for trait in key_traits:
            if trait.removeprefix("#/components/messageTraits/") not in trait_names:
                problems.append(f"{where}: trait {trait} does not exist")
        if contract.channel_address(message_id) is None:
            problems.append(f"{where}: no channel lists it")
    return len(header_schemas), problems


def check_captured_record(contract: Contract, name: str, record) -> list[str]:
    """One captured Kafka record: {"topic", "partition", "offset", "key", "headers", "value"}."""
    if not isinstance(record, dict):
        return [f"{name}: not a captured record object"]
    headers = record.get("headers")
    if not isinstance(headers, dict):
        return [f"{name}: no headers"]
    event_type = headers.get("ce_type")
    schema = contract.event_schemas.get(event_type) if isinstance(event_type, str) else None
    if schema is None:
        return [f"{name}: ce_type {event_type!r} has no schema in docs/events/schemas"]
    where = f"{name} ({event_type})"
    problems = []
    try:
        data = json.loads(record.get("value"))
    except (TypeError, ValueError) as error:
        return [f"{where}: the value is not JSON: {error}"]
    problems += [f"{where}: value {describe(e)}" for e in contract.validator(schema).iter_errors(data)]
    key, problem = record_key(schema, data)
    if problem:
        problems.append(f"{where}: record key rule: {problem}")
    elif record.get("key") != key:
        problems.append(
            f"{where}: record key is {record.get('key')!r}, but the key rule {schema[KEY_RULE]} gives {key!r}")
    message_id, _ = contract.messages().get(event_type, (None, None))
    if message_id is None:
        problems.append(f"{where}: no AsyncAPI message for this type")
        return problems
    header_schema = {"$ref": f"{ASYNCAPI_URI}#/components/messages/{message_id}/headers"}
    problems += [f"{where}: headers {describe(e)}" for e in contract.validator(header_schema).iter_errors(headers)]
    address = contract.channel_address(message_id) or ""
    topic = record.get("topic")
    suffix = address.removeprefix(DEFAULT_TOPIC_PREFIX)
    if not isinstance(topic, str) or not (topic == address or topic.endswith("." + suffix)):
        problems.append(f"{where}: read from topic {topic!r}, but its channel is {address!r} (any prefix)")
    return problems


def check_captured(contract: Contract, directory: pathlib.Path, required: bool) -> tuple[dict[str, int], list[str]]:
    files = sorted(directory.glob("*.json")) if directory.is_dir() else []
    markers = sorted(p.name for p in directory.glob(CAPTURE_MARKER + "*")) if directory.is_dir() else []
    counts: dict[str, int] = {}
    problems = []
    for path in files:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            problems.append(f"{path.name}: unreadable: {error}")
            continue
        problems += check_captured_record(contract, path.name, record)
        event_type = (record.get("headers") or {}).get("ce_type") if isinstance(record, dict) else None
        counts[str(event_type)] = counts.get(str(event_type), 0) + 1
    if not files and (required or markers):
        why = f"end-to-end tests started capturing ({', '.join(markers)})" if markers else "--require-captured"
        problems.append(f"{directory}: no captured event, although {why}: the end-to-end capture is broken")
    return counts, problems


# MARK: self-test


def self_test(contract: Contract) -> tuple[int, list[str]]:
    """Deliberately invalid inputs must be rejected; returns (cases, cases wrongly accepted)."""
    accepted = []
    cases = 0

    def expect_rejected(label: str, problems: list[str]):
        nonlocal cases
        cases += 1
        if not problems:
            accepted.append(f"self-test: {label} was accepted")

    expect_rejected("a schema with type 'objekt'", check_meta("broken.json", {"$schema": DRAFT_2020_12, "type": "objekt"}))
    expect_rejected("a schema with a non-array required", check_meta("broken.json", {"$schema": DRAFT_2020_12, "required": "id"}))
    for event_type, schema in contract.event_schemas.items():
        examples = schema.get("examples") or []
        if not examples or not schema.get("required"):
            continue
        broken = copy.deepcopy(schema)
        missing = copy.deepcopy(examples[0])
        missing.pop(schema["required"][0], None)
        extra = copy.deepcopy(examples[0])
        extra["notInTheContract"] = True
        broken["examples"] = [missing]
        expect_rejected(f"{event_type} example without {schema['required'][0]}", check_examples(contract, event_type, broken)[1])
        broken["examples"] = [extra]
        expect_rejected(f"{event_type} example with an unknown property", check_examples(contract, event_type, broken)[1])
        no_rule = {k: v for k, v in schema.items() if k != KEY_RULE}
        expect_rejected(f"{event_type} without a key rule", check_key_rule(contract, event_type, no_rule))
    issued = contract.event_schemas.get("relance.invoice.issued.v1")
    if issued and issued.get("examples"):
        example = copy.deepcopy(issued["examples"][0])
        wrong_amount = copy.deepcopy(example)
        wrong_amount["totalAmount"]["minorUnits"] = "144000"
        bad_date = copy.deepcopy(example)
        bad_date["dueDate"] = "2025-02-30x"
        for label, data in [("an amount as a string", wrong_amount), ("a malformed due date", bad_date)]:
            broken = dict(issued, examples=[data])
            expect_rejected(f"invoice.issued example with {label}", check_examples(contract, "relance.invoice.issued.v1", broken)[1])
        optional_key = dict(issued, **{KEY_RULE: "/orderReference"})
        expect_rejected("a key rule naming an optional field", check_key_rule(contract, "relance.invoice.issued.v1", optional_key))
        good = {
            "topic": "t-selftest.invoices", "partition": 0, "offset": 0, "key": example["customerId"],
            "headers": {
                "ce_specversion": "1.0", "ce_id": "0190d7a4-0000-7000-8000-000000000000", "ce_type": "relance.invoice.issued.v1",
                "ce_source": "/relance/invoicing", "ce_time": "2026-11-29T10:15:00.123Z", "ce_subject": example["invoiceId"],
                "content-type": "application/json",
            },
            "value": json.dumps(example),
        }
        sane = check_captured_record(contract, "self-test", good)
        if sane:
            accepted.append(f"self-test: a well-formed captured record was rejected: {sane}")
        mutations = {
            "keyed by the invoice id": {"key": example["invoiceId"]},
            "of an unknown type": {"headers": dict(good["headers"], ce_type="relance.invoice.exploded.v1")},
            "from another service": {"headers": dict(good["headers"], ce_source="/relance/payment-matching")},
            "without ce_id": {"headers": {k: v for k, v in good["headers"].items() if k != "ce_id"}},
            "on the payments topic": {"topic": "t-selftest.payments"},
            "with a value that is not JSON": {"value": "{\"customerId\": "},
            "with an invalid value": {"value": json.dumps(dict(example, number=""))},
        }
        for label, change in mutations.items():
            expect_rejected(f"a captured record {label}", check_captured_record(contract, "self-test", dict(good, **change)))
    else:
        accepted.append("self-test: relance.invoice.issued.v1 and its examples are needed for the self-test")
    received = contract.event_schemas.get("relance.payment.received.v1")
    if received and isinstance(received.get(KEY_RULE), list) and received.get("examples"):
        event_type = "relance.payment.received.v1"
        rule = received[KEY_RULE]
        last_optional = dict(received, **{KEY_RULE: rule[:-1]})
        expect_rejected("a key rule whose last alternative may be absent", check_key_rule(contract, event_type, last_optional))
        dead_end = dict(received, **{KEY_RULE: [{"pointer": "/account", "prefix": "account:"}] + rule})
        expect_rejected("a key rule with an always-present alternative before others", check_key_rule(contract, event_type, dead_end))
        unprefixed = dict(received, **{KEY_RULE: [rule[0], {"pointer": "/account"}]})
        expect_rejected("a key rule with an unprefixed fallback", check_key_rule(contract, event_type, unprefixed))
        expect_rejected("a key rule item with an unknown member",
                        check_key_rule(contract, event_type, dict(received, **{KEY_RULE: [dict(rule[0], suffix="x")] + rule[1:]})))
        unknown_payer = next((e for e in received["examples"] if not e.get("customerId") and e.get("payerIBAN")), None)
        if unknown_payer is None:
            accepted.append("self-test: payment.received needs an example of an unknown customer with a payer IBAN")
        else:
            good = {
                "topic": "t-selftest.payments", "partition": 0, "offset": 0, "key": "payer:" + unknown_payer["payerIBAN"],
                "headers": {
                    "ce_specversion": "1.0", "ce_id": "0190d7a4-0000-7000-8000-000000000001", "ce_type": event_type,
                    "ce_source": "/relance/payment-matching", "ce_time": "2026-11-29T10:15:00.123Z",
                    "ce_subject": unknown_payer["paymentId"], "content-type": "application/json",
                },
                "value": json.dumps(unknown_payer),
            }
            sane = check_captured_record(contract, "self-test", good)
            if sane:
                accepted.append(f"self-test: a well-formed captured payment.received was rejected: {sane}")
            for label, key in [("keyed by the account although the payer is known", "account:" + unknown_payer["account"]),
                               ("keyed by the bare IBAN", unknown_payer["payerIBAN"])]:
                expect_rejected(f"a captured payment.received {label}", check_captured_record(contract, "self-test", dict(good, key=key)))
    else:
        accepted.append("self-test: relance.payment.received.v1 with a list key rule and examples is needed for the self-test")
    return cases, accepted


def end_to_end_selected(arguments: list[str]) -> bool:
    """Whether `swift test` arguments run the capturing end-to-end test."""
    patterns: dict[str, list[str]] = {"--filter": [], "--skip": []}
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        for option, found in patterns.items():
            if argument == option and index + 1 < len(arguments):
                found.append(arguments[index + 1])
                index += 1
            elif argument.startswith(option + "="):
                found.append(argument.split("=", 1)[1])
        index += 1
    matches = lambda pattern: re.search(pattern, CAPTURING_TEST) is not None  # noqa: E731
    selected = not patterns["--filter"] or any(map(matches, patterns["--filter"]))
    return selected and not any(map(matches, patterns["--skip"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captured", type=pathlib.Path, help="directory of events captured by the end-to-end tests")
    parser.add_argument("--require-captured", action="store_true", help="fail when the directory holds no event")
    parser.add_argument("--swift-test-arguments", nargs=argparse.REMAINDER, default=None,
                        help="the arguments of the `swift test` run that filled the directory")
    arguments = parser.parse_args()
    if (arguments.require_captured or arguments.swift_test_arguments is not None) and arguments.captured is None:
        parser.error("--require-captured and --swift-test-arguments need --captured DIR")
    if arguments.swift_test_arguments is not None and end_to_end_selected(arguments.swift_test_arguments):
        arguments.require_captured = True

    contract = Contract.load()
    problems: list[str] = []

    cases, accepted = self_test(contract)
    problems += accepted

    for name, schema in contract.schemas.items():
        problems += check_meta(name, schema)
    example_count = 0
    for event_type, schema in contract.event_schemas.items():
        problems += check_key_rule(contract, event_type, schema)
        count, found = check_examples(contract, event_type, schema)
        example_count += count
        problems += found
    header_schema_count, found = check_asyncapi(contract)
    problems += found

    summary = [
        f"{len(contract.schemas)} schema files and {header_schema_count} AsyncAPI header schemas valid against draft 2020-12",
        f"{len(contract.event_schemas)} key rules",
        f"{example_count} examples",
        f"self-test: {cases - len(accepted)}/{cases} invalid inputs rejected",
    ]
    if arguments.captured is not None:
        counts, found = check_captured(contract, arguments.captured, arguments.require_captured)
        problems += found
        detail = ", ".join(f"{t} {n}" for t, n in sorted(counts.items()))
        summary.append(f"{sum(counts.values())} captured events ({detail or 'none'})")

    for problem in problems:
        print(f"check-events: {problem}", file=sys.stderr)
    verdict = "FAILED" if problems else "ok"
    print(f"check-events: {verdict}: " + "; ".join(summary))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
