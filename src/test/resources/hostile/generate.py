#!/usr/bin/env python3
"""Writes cases.json: the hostile-input corpus of HostileInputIT (kept as data; rerun to regenerate).

Every case must get a 4xx, never reach the provider, and leave the gateway healthy. Placeholders:
{{TOKEN}} a valid bearer token, {{KEY}} a fresh idempotency key. "shape": false marks the few cases the
HTTP codec rejects before the gateway sees them (bare status, no provider-shaped body)."""
import base64, json

ORDER = {"purchase_currency": "EUR", "order_amount": 2500, "order_tax_amount": 500,
         "order_lines": [{"name": "Shoe", "quantity": 1, "unit_price": 2500, "total_amount": 2500,
                          "tax_rate": 2500, "total_tax_amount": 500}]}
ORDER_TEXT = json.dumps(ORDER, separators=(",", ":"))
TOKEN = "kct-hostile-1"
ORDER_PATH = f"/customer-token/v1/tokens/{TOKEN}/order"
READ_PATH = f"/customer-token/v1/tokens/{TOKEN}"
AUTH = ["Authorization", "Bearer {{TOKEN}}"]
JSON = ["Content-Type", "application/json"]
KEY = ["Klarna-Idempotency-Key", "{{KEY}}"]
cases = []

def case(category, name, method="POST", path=ORDER_PATH, headers=None, body=None, raw=None, shape=True, content_length=None,
         parts=None):
    c = {"id": f"{category}-{len([x for x in cases if x['category'] == category]) + 1:03d}-{name}",
         "category": category, "method": method, "path": path,
         "headers": headers if headers is not None else [AUTH, JSON, KEY]}
    if parts is not None:
        c["bodyParts"] = parts  # ["text", s] or ["repeat", s, n]: large bodies without large data files
    elif raw is not None:
        c["bodyBase64"] = base64.b64encode(raw).decode()
    elif body is not None:
        c["body"] = body
    if content_length is not None:
        c["contentLength"] = content_length
    if not shape:
        c["shape"] = False
    cases.append(c)

# Malformed and truncated JSON.
for cut in range(1, len(ORDER_TEXT), max(1, len(ORDER_TEXT) // 30)):
    case("malformed-json", f"truncated-at-{cut}", body=ORDER_TEXT[:cut])
for i, text in enumerate(["{", "}", "[", "nul", '{"a":}', "{,}", '{"order_amount":1,,}', "{'a':1}", '{"a":1}x', "\t\n ",
                          '{"a" 1}', '{"a":1 "b":2}', '[1,2', '"just a string"', "12345", "true", "null", "[]"]):
    case("malformed-json", f"garbage-{i}", body=text)

# Wrong types in known fields.
def with_value(path, value):
    order = json.loads(ORDER_TEXT)
    target = order
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return json.dumps(order)
for path in [["order_amount"], ["order_tax_amount"], ["purchase_currency"], ["order_lines"],
             ["order_lines", 0, "quantity"], ["order_lines", 0, "unit_price"], ["order_lines", 0, "total_amount"],
             ["order_lines", 0, "name"], ["order_lines", 0, "type"]]:
    for label, value in [("string", "25"), ("boolean", True), ("null", None), ("array", [1]), ("object", {"v": 1})]:
        if path == ["purchase_currency"] and label == "string" or path[-1] in ("name", "type") and label == "string":
            value = 7
            label = "number"
        case("wrong-types", f"{'.'.join(map(str, path))}-{label}", body=with_value(path, value))

# Huge and exotic numbers.
for i, number in enumerate(["1e400", "99999999999999999999999", "-9223372036854775809", "9223372036854775808",
                            "1.7976931348623157e309", "0.0000001", "2500.0", "2.5e3", "25E2", "-0.0",
                            "1" * 300, "-" + "9" * 40]):
    case("huge-numbers", f"order-amount-{i}", body=ORDER_TEXT.replace('"order_amount":2500', f'"order_amount":{number}'))

# Deep nesting.
for depth in [33, 100, 1000, 10000]:
    case("deep-nesting", f"arrays-{depth}", body='{"x":' + "[" * depth + "]" * depth + "}")
case("deep-nesting", "objects-60", body='{"x":' + '{"y":' * 60 + "1" + "}" * 60 + "}")
case("deep-nesting", "in-known-field", body=ORDER_TEXT.replace('"name":"Shoe"', '"name":' + "[" * 50 + "]" * 50))

# Huge strings and arrays that break the schema.
head, tail = ORDER_TEXT.split("Shoe")
case("huge-strings", "name-100k", parts=[["text", head], ["repeat", "x", 100_000], ["text", tail]])
case("huge-strings", "merchant-data-6001", body=ORDER_TEXT[:-1] + ',"merchant_data":"' + "m" * 6001 + '"}')
case("huge-strings", "reference-300", body=ORDER_TEXT.replace('"name":"Shoe"', '"name":"Shoe","reference":"' + "r" * 300 + '"'))
case("huge-strings", "image-url-2000", body=ORDER_TEXT.replace('"name":"Shoe"', '"name":"Shoe","image_url":"' + "u" * 2000 + '"'))
line = ORDER["order_lines"][0]
line_text = json.dumps(line, separators=(",", ":"))
for count in [1001, 3000]:
    case("huge-arrays", f"lines-{count}", parts=[
        ["text", '{"purchase_currency":"EUR","order_amount":%d,"order_tax_amount":%d,"order_lines":[%s' % (2500 * count, 500 * count, line_text)],
        ["repeat", "," + line_text, count - 1], ["text", "]}"]])
case("huge-arrays", "lines-empty", body=json.dumps(dict(ORDER, order_lines=[])))
case("huge-arrays", "lines-of-numbers", body=json.dumps(dict(ORDER, order_lines=list(range(2000)))))

# Duplicate keys: ambiguous, the provider might read the other one.
for i, (a, b) in enumerate([('"order_amount":2500', '"order_amount":2500,"order_amount":1'),
                            ('"purchase_currency":"EUR"', '"purchase_currency":"EUR","purchase_currency":"SEK"'),
                            ('"name":"Shoe"', '"name":"Shoe","name":"Boot"'),
                            ('"quantity":1', '"quantity":1,"quantity":1000'),
                            ('"order_tax_amount":500', '"order_tax_amount":500,"order_tax_amount":500')]):
    case("duplicate-keys", f"dup-{i}", body=ORDER_TEXT.replace(a, b))
case("duplicate-keys", "unknown-field", body=ORDER_TEXT[:-1] + ',"extra":1,"extra":2}')
case("duplicate-keys", "lines-twice", body=ORDER_TEXT[:-1] + ',"order_lines":[]}')
case("duplicate-keys", "status", method="PATCH", path=f"/customer-token/v1/tokens/{TOKEN}/status",
     body='{"status":"CANCELLED","status":"ACTIVE"}')

# Invalid UTF-8, in known and unknown fields.
for i, bad in enumerate([b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc", b"\xc0\xaf", b"\xed\xa0\x80", b"\xff", b"\xfe\xfe"]):
    where = b'"name":"Sh' if i % 2 == 0 else b'"name":"Shoe","note":"x'
    raw = ORDER_TEXT.encode().replace(b'"name":"Shoe"', where + bad + (b'oe"' if i % 2 == 0 else b'"'))
    case("invalid-utf8", f"bytes-{i}", raw=raw)

# Wrong content types.
for i, ctype in enumerate(["text/plain", "application/xml", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x", "application/jsonx", "text/json", "*/*",
                           "application/json-patch+json", "image/png", None]):
    headers = [AUTH, KEY] + ([["Content-Type", ctype]] if ctype else [])
    case("content-type", f"ctype-{i}", headers=headers, body=ORDER_TEXT)

# Oversized bodies.
case("oversized", "one-byte-over-1MiB", parts=[["repeat", "x", 1024 * 1024 + 1]])
case("oversized", "declared-100MB", body="{}", content_length=100 * 1024 * 1024)
case("oversized", "declared-2GB", body="{}", content_length=2 * 1024 * 1024 * 1024)

# Header injection and hostile header values (the gateway's own headers).
for i, value in enumerate(["%0d%0aX-Injected: 1", "a\tb", "a b", "x" * 200, "caf\u00e9", "a;b", "../../etc", "<script>"]):
    case("header-injection", f"correlation-{i}", method="GET", path=READ_PATH, headers=[AUTH, ["X-Correlation-Id", value]])
for i, value in enumerate(["k" * 256, "cl\u00e9", "a\x7fb", "a\x01b"]):
    # Control bytes in a header value are refused by the HTTP decoder itself (bare 400, before any gateway code).
    case("header-injection", f"idempotency-key-{i}", headers=[AUTH, JSON, ["Klarna-Idempotency-Key", value]], body=ORDER_TEXT,
         shape=not any(ord(ch) < 0x20 or ord(ch) == 0x7f for ch in value))
for i, value in enumerate(["../keyless-shop", "main-shop/../keyless-shop", "%2e%2e", "m" * 100, "main-shop,keyless-shop", "main-shop\tm2"]):
    case("header-injection", f"merchant-{i}", method="GET", path=READ_PATH, headers=[AUTH, ["X-Merchant-Id", value]])

# Path traversal and encoded separators in the token.
for i, token in enumerate(["..%2f..%2fadmin", "%2e%2e", "%2e%2e%2f", "a%2fb", "a%2Fb", "a%252fb", "a%5cb", "a%00b", "a%0ab",
                           "a%0d%0ab", "%c0%afb", "a..b", "..", "-abc", ".abc", ":abc", "a@b", "a$b", "a!b", "a*b", "a~b",
                           "a%20b", "a+b", "k" * 129, "%ef%bc%8f", "a%25", "a%", "a;jsessionid=1", "a'b", 'a"b']):
    # A request target that is not a valid URI ("a%", a quote) is refused by the HTTP decoder (bare 400).
    case("path-traversal", f"token-{i}", method="GET", path=f"/customer-token/v1/tokens/{token}", headers=[AUTH],
         shape=token not in ("a%", 'a"b'))
for i, path in enumerate(["/customer-token/v1/tokens/../tokens/x", "/customer-token/v1/tokens/./x", "//customer-token/v1/tokens/x"]):
    case("path-traversal", f"path-{i}", method="GET", path=path, headers=[AUTH])

# Methods and paths outside the API.
for method in ["DELETE", "PUT", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "GETS"]:
    for path in [READ_PATH, ORDER_PATH]:
        case("methods-paths", f"{method.lower()}-{'order' if path.endswith('order') else 'token'}", method=method, path=path,
             headers=[AUTH, JSON, KEY], body=ORDER_TEXT if method in ("PUT", "DELETE") else None)
for path in ["/", "/admin", "/q/health", "/q/metrics", "/q/openapi", "/q/dev-ui", "/customer-token/v2/tokens/x",
             "/customer-token/v1/tokens", "/customer-token/v1/tokens/x/order/extra", "/customer-token/v1/tokens/x/orders",
             "/Customer-Token/v1/tokens/x", "/customer-token/v1/tokens/x/ORDER", "/customer-token/v1/tokens/x/status/x",
             "/sandbox/customer-token/v1/tokens/x"]:
    case("methods-paths", f"path{path.replace('/', '_')}", method="GET", path=path, headers=[AUTH])
case("methods-paths", "post-to-read", method="POST", path=READ_PATH, body=ORDER_TEXT)
case("methods-paths", "patch-to-order", method="PATCH", path=ORDER_PATH, body='{"status":"CANCELLED"}')
case("methods-paths", "get-order", method="GET", path=ORDER_PATH, headers=[AUTH])

with open(__file__.replace("generate.py", "cases.json"), "w") as out:
    json.dump(cases, out, indent=1, ensure_ascii=True)
print(len(cases), "cases")
