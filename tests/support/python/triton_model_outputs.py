# SPDX-License-Identifier: MIT
"""What Triton's pytorch_libtorch backend does with an exported model.pt, done in PyTorch: load it
with torch.jit.load, hand it raw rows as one float32 tensor INPUT__0 [batch, F] and take
OUTPUT__0. Nothing here knows the preprocessing: the model must carry it.

usage: /usr/bin/python3 triton_model_outputs.py model.pt raw.f32 ROWS FEATURES out.f32

raw.f32 holds ROWS x FEATURES little-endian float32 values, row-major, NaN for a missing value.
Writes the outputs of the whole batch to out.f32 (float32, row-major) and prints one JSON object:
the forward arguments (Triton maps INPUT__0 by argument name or by the __0 index), the output
shape, and the largest difference between the whole batch and the rows run one at a time
(Triton's dynamic batcher makes batches of any size up to max_batch_size)."""

import json
import struct
import sys

import torch


def main(model_path, raw_path, rows, features, out_path):
    rows, features = int(rows), int(features)
    model = torch.jit.load(model_path)
    model.eval()
    with open(raw_path, "rb") as f:
        raw = bytearray(f.read())
    if len(raw) != rows * features * 4:
        raise SystemExit("%s holds %d bytes, expected %d" % (raw_path, len(raw), rows * features * 4))
    x = torch.frombuffer(raw, dtype=torch.float32).reshape(rows, features)
    with torch.no_grad():
        out = model(x)
        single = torch.cat([model(x[i:i + 1]) for i in range(rows)], 0)
    if out.dtype != torch.float32 or out.dim() != 2 or out.size(0) != rows:
        raise SystemExit("unexpected output %s %s" % (out.dtype, list(out.shape)))
    with open(out_path, "wb") as f:
        values = out.reshape(-1).tolist()
        f.write(struct.pack("<%df" % len(values), *values))
    print(json.dumps({
        "arguments": [a.name for a in model.forward.schema.arguments],
        "shape": list(out.shape),
        "batch_vs_single": (out - single).abs().max().item() if rows else 0.0,
    }))


if __name__ == "__main__":
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
