#!/usr/bin/env bash
# Seeds notification before the API check: notifications are not created over HTTP but by
# notification.requested commands on Kafka, so this produces three (the event contract's first
# example for three customers, ids derived by the contract's rule) to notification-requests,
# then waits until the service has delivered them (to its folder), so that the list and the
# lookup by id have real ledger entries (the document's link leads schemathesis to them).
# Python's standard library only: a Produce v3 request (record batch v2, CRC-32C) to partition 0.
# Usage: notification.sh BASE_URL API_KEY; API_CHECK_BROKERS and API_CHECK_TOPIC_PREFIX set by api-check.sh.
set -euo pipefail
base="$1" key="$2"
python3 - "$API_CHECK_BROKERS" "${API_CHECK_TOPIC_PREFIX}notification-requests" <<'PY'
import hashlib, json, socket, struct, sys, time, uuid
brokers, topic = sys.argv[1], sys.argv[2]
host, port = brokers.split(",")[0].rsplit(":", 1)
example = json.load(open("docs/events/schemas/relance.notification.requested.v1.json"))["examples"][0]

def notification_id(customer, step, invoice_ids):
    fields = ["relance.notification-id.v1", customer, step["name"], str(step["version"]), step["stepId"]]
    fields += sorted(set(invoice_ids), key=lambda text: text.encode())
    digest = bytearray(hashlib.sha256(b"".join(b"%d:%s," % (len(f.encode()), f.encode()) for f in fields)).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x80
    digest[8] = (digest[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(digest)))

def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF

def varint(value):
    value = (value << 1) ^ (value >> 63)
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)

def sized(data):
    return varint(len(data)) + data

def record(delta, key, value, headers):
    body = b"\x00" + varint(0) + varint(delta) + sized(key) + sized(value) + varint(len(headers))
    body += b"".join(sized(k.encode()) + sized(v.encode()) for k, v in headers)
    return sized(body)

now = int(time.time() * 1000)
records = []
for index in range(3):
    command = json.loads(json.dumps(example))
    command["customerId"] = f"api-check-customer-{index}"
    command["notificationId"] = notification_id(command["customerId"], command["scenario"], [i["invoiceId"] for i in command["invoices"]])
    headers = [("ce_specversion", "1.0"), ("ce_id", str(uuid.uuid4())), ("ce_type", "relance.notification.requested.v1"),
               ("ce_source", "/relance/scenario-scheduler"), ("ce_subject", command["notificationId"]),
               ("ce_time", time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())), ("content-type", "application/json")]
    records.append(record(index, command["customerId"].encode(), json.dumps(command).encode(), headers))
tail = struct.pack(">hiqqqhii", 0, len(records) - 1, now, now, -1, -1, -1, len(records)) + b"".join(records)
batch = struct.pack(">iB", -1, 2) + struct.pack(">I", crc32c(tail)) + tail
batch = struct.pack(">qi", 0, len(batch)) + batch
name = topic.encode()
body = struct.pack(">hhi", -1, -1, 10000) + struct.pack(">ih", 1, len(name)) + name + struct.pack(">iii", 1, 0, len(batch)) + batch
client = b"api-check-seed"
request = struct.pack(">hhih", 0, 3, 1, len(client)) + client + body
for attempt in range(30):
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(struct.pack(">i", len(request)) + request)
        size = struct.unpack(">i", connection.recv(4, socket.MSG_WAITALL))[0]
        response = connection.recv(size, socket.MSG_WAITALL)
    # correlation id, topics (1), name, partitions (1), index, error code
    name_length = struct.unpack(">h", response[8:10])[0]
    error = struct.unpack(">h", response[10 + name_length + 8:10 + name_length + 10])[0]
    if error == 0:
        break
    time.sleep(1)  # the topic may not be provisioned yet
else:
    sys.exit(f"producing to {topic} failed with Kafka error {error}")
PY
for _ in $(seq 1 300); do
  sent="$(curl -fsS "$base/v1/notifications?state=sent" -H "Authorization: Bearer $key" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')"
  [ "$sent" -ge 3 ] && exit 0
  sleep 0.2
done
echo "notification.sh: the three seeded commands were not sent within 60 s" >&2
exit 1
