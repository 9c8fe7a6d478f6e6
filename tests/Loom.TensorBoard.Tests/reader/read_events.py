"""Independent reader of TensorBoard event files, for Loom's tests.

Usage: read_events.py GENERATED_DIR EVENT_FILE...
GENERATED_DIR holds the classes protoc --python_out generated from proto/ (TensorBoard's upstream files). Prints one JSON object:
{"files": [{"path": ..., "records": [...]}]}; exits 1 with a one-line message on the first defect.

Checks: TFRecord framing (8-byte little-endian length, masked CRC32C of it, payload, masked CRC32C of the
payload; no byte left over), both CRCs with the CRC32C below (not Loom's), the file_version record first,
that every event parses with no unknown field and re-serializes to the same bytes, and the HParams
records' plugin name, version and oneof.
"""
import json
import struct
import sys

sys.path.insert(0, sys.argv[1])
from tensorboard.compat.proto import event_pb2  # noqa: E402  (generated from the vendored upstream protos)
from tensorboard.plugins.hparams import api_pb2, plugin_data_pb2  # noqa: E402


class pb:  # the upstream messages and enums the checks below name
    Event = event_pb2.Event
    HParamsPluginData = plugin_data_pb2.HParamsPluginData
    Status = api_pb2.Status
    DataType = api_pb2.DataType
    DatasetType = api_pb2.DatasetType


def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked(data):
    c = crc32c(data)
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def parse_exact(cls, data, what):
    message = cls()
    message.ParseFromString(data)
    message.DiscardUnknownFields()  # recursive: an unknown field anywhere now breaks the comparison below
    if message.SerializeToString(deterministic=True) != data:
        fail(f"{what}: does not re-serialize to the same bytes (non-canonical encoding or unknown fields)")
    return message


def value_json(v):
    kind = v.WhichOneof("kind")
    if kind == "number_value":
        return v.number_value
    if kind == "string_value":
        return v.string_value
    if kind == "bool_value":
        return v.bool_value
    fail(f"hparam value of kind {kind}")


def hparams_json(tag, content, where):
    data = parse_exact(pb.HParamsPluginData, content, f"{where}: HParamsPluginData")
    if data.version != 0:
        fail(f"{where}: plugin data version {data.version}")
    expected = {"_hparams_/experiment": "experiment", "_hparams_/session_start_info": "session_start_info",
                "_hparams_/session_end_info": "session_end_info"}.get(tag)
    if expected is None or data.WhichOneof("data") != expected:
        fail(f"{where}: tag {tag} holds {data.WhichOneof('data')}")
    if expected == "session_start_info":
        s = data.session_start_info
        return {"hparams": {k: value_json(v) for k, v in s.hparams.items()}, "start_time_secs": s.start_time_secs,
                "group_name": s.group_name}
    if expected == "session_end_info":
        e = data.session_end_info
        return {"status": pb.Status.Name(e.status), "end_time_secs": e.end_time_secs}
    x = data.experiment
    infos = []
    for h in x.hparam_infos:
        info = {"name": h.name, "type": pb.DataType.Name(h.type), "differs": h.differs}
        if h.WhichOneof("domain") == "domain_discrete":
            info["discrete"] = [value_json(v) for v in h.domain_discrete.values]
        elif h.WhichOneof("domain") == "domain_interval":
            info["interval"] = [h.domain_interval.min_value, h.domain_interval.max_value]
        infos.append(info)
    metrics = [{"group": m.name.group, "tag": m.name.tag, "dataset_type": pb.DatasetType.Name(m.dataset_type)}
               for m in x.metric_infos]
    return {"name": x.name, "time_created_secs": x.time_created_secs, "hparam_infos": infos, "metric_infos": metrics}


def read_file(path):
    data = open(path, "rb").read()
    records = []
    at = 0
    while at < len(data):
        where = f"{path} @{at}"
        if len(data) - at < 12:
            fail(f"{where}: {len(data) - at} bytes left, a record header needs 12")
        header = data[at:at + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[at + 8:at + 12])
        if length_crc != masked(header):
            fail(f"{where}: length CRC {length_crc:#x} != {masked(header):#x}")
        if at + 12 + length + 4 > len(data):
            fail(f"{where}: record of {length} bytes runs past the end")
        payload = data[at + 12:at + 12 + length]
        (payload_crc,) = struct.unpack("<I", data[at + 12 + length:at + 16 + length])
        if payload_crc != masked(payload):
            fail(f"{where}: payload CRC {payload_crc:#x} != {masked(payload):#x}")
        at += 16 + length

        event = parse_exact(pb.Event, payload, where)
        record = {"wall_time": event.wall_time, "step": event.step}
        what = event.WhichOneof("what")
        if what == "file_version":
            record["file_version"] = event.file_version
        elif what == "summary":
            if len(event.summary.value) != 1:
                fail(f"{where}: {len(event.summary.value)} summary values, Loom writes one per event")
            v = event.summary.value[0]
            record["tag"] = v.tag
            kind = v.WhichOneof("value")
            if kind == "simple_value":
                record["value"] = v.simple_value
            elif kind == "tensor":
                if v.metadata.plugin_data.plugin_name != "hparams":
                    fail(f"{where}: tensor value of plugin '{v.metadata.plugin_data.plugin_name}'")
                t = v.tensor
                if t.dtype != 1 or [d.size for d in t.tensor_shape.dim] != [0]:
                    fail(f"{where}: the hparams value is not the empty float tensor")
                record["plugin"] = "hparams"
                record["hparams"] = hparams_json(v.tag, v.metadata.plugin_data.content, where)
            else:
                fail(f"{where}: summary value of kind {kind}")
        else:
            fail(f"{where}: event of kind {what}")
        records.append(record)
    if not records or "file_version" not in records[0]:
        fail(f"{path}: the first record is not the file_version")
    return {"path": path, "records": records}


print(json.dumps({"files": [read_file(p) for p in sys.argv[2:]]}))
