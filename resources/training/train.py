#!/usr/bin/env python3
"""VibeML's fine-tuning script: runs on the SkyPilot cluster, reads job.json, prints progress lines.

The contract (job.json schema 1, the `@@VIBEML@@ ` progress lines, exit codes) is in README.md
beside this file. Every string in job.json is data: it is never handed to a shell, eval, exec or a
format string, and only the sanitised output folder name ever becomes part of a path.

Only the standard library is imported at module level, so the data functions can be tested with a
bare python3; torch, transformers, peft, datasets and bitsandbytes are imported inside run_training().
"""

import json
import math
import os
import re
import sys
import time
import traceback
from pathlib import Path

PREFIX = "@@VIBEML@@ "
IGNORE_INDEX = -100  # label value that transformers' cross-entropy skips

EXIT_OK, EXIT_RUNTIME, EXIT_CONFIG, EXIT_DATA, EXIT_AUTH, EXIT_OOM = 0, 1, 2, 3, 4, 5

METHODS = ("lora", "qlora4", "qlora8", "full", "full-bf16")
FORMATS = ("chat", "instruction", "prompt-completion", "text")
PARALLELISM = ("single", "ddp", "fsdp")
SCHEDULERS = ("linear", "cosine", "cosine_with_restarts", "polynomial", "constant",
              "constant_with_warmup", "inverse_sqrt")
REPORT_TO = ("none", "wandb")
COLUMN_KEYS = ("messages", "roleKey", "contentKey", "instruction", "input", "output",
               "prompt", "completion", "text")
FORMAT_COLUMNS = {"chat": ("messages",), "instruction": ("instruction", "output"),
                  "prompt-completion": ("prompt", "completion"), "text": ("text",)}

EVENT_FIELDS = {
    "start": ("model", "dataset", "method", "totalSteps", "gpus", "nodes", "rows", "resumedFromStep"),
    "progress": ("step", "totalSteps", "loss", "learningRate", "epoch", "tokensPerSecond",
                 "etaSeconds", "gpuMemoryGB"),
    "eval": ("step", "evalLoss"),
    "checkpoint": ("step", "path"),
    "done": ("outputDir", "hubRepo", "hubUrl", "steps", "finalLoss", "stoppedEarly"),
    "error": ("kind", "message"),
}
ERROR_KINDS = ("data", "oom", "auth", "config", "runtime")


class ConfigError(Exception):
    """job.json (or the environment it names) cannot be used; `problems` lists every reason."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class DataError(Exception):
    """The dataset does not yield enough usable training rows."""


# --------------------------------------------------------------------------------------------
# job.json validation
# --------------------------------------------------------------------------------------------

_TYPE_NAMES = {"str": "a string", "int": "an integer", "number": "a number", "bool": "true or false",
               "object": "an object", "list": "a list"}


def _has_type(value, kind):
    # bool is a subclass of int in Python; JSON true must never pass as 1.
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return (isinstance(value, (int, float)) and not isinstance(value, bool)
                and math.isfinite(value))
    return isinstance(value, {"str": str, "bool": bool, "object": dict, "list": list}[kind])


class _Checker:
    """Collects every problem instead of stopping at the first, so one run shows them all."""

    def __init__(self):
        self.problems = []

    def get(self, obj, key, path, kind, *, required=True, default=None, ok=None, why=""):
        if not isinstance(obj, dict):
            return default  # the parent's problem is already reported
        if key not in obj:
            if required:
                self.problems.append(f"{path} is missing")
            return default
        value = obj[key]
        if not _has_type(value, kind):
            self.problems.append(f"{path} must be {_TYPE_NAMES[kind]}")
            return default
        if ok is not None and not ok(value):
            self.problems.append(f"{path} {why}")
            return default
        return value

    def choice(self, obj, key, path, choices):
        return self.get(obj, key, path, "str", ok=lambda v: v in choices,
                        why="must be one of " + ", ".join(choices))


def _nonempty(value):
    return bool(value.strip())


def validate_job(raw):
    """Return a normalised copy of job.json (schema 1) or raise ConfigError listing every problem."""
    if not isinstance(raw, dict):
        raise ConfigError("job.json must hold a JSON object")
    c = _Checker()
    schema = c.get(raw, "schema", "schema", "int")
    if schema is not None and schema != 1:
        c.problems.append("schema must be 1 (this train.py reads schema 1 only)")
    job = {"schema": 1, "jobId": c.get(raw, "jobId", "jobId", "str", ok=_nonempty, why="must not be empty")}

    model = c.get(raw, "model", "model", "object")
    job["model"] = {"id": c.get(model, "id", "model.id", "str", ok=_nonempty, why="must not be empty"),
                    "revision": c.get(model, "revision", "model.revision", "str", default="")}

    ds = c.get(raw, "dataset", "dataset", "object")
    fmt = c.choice(ds, "format", "dataset.format", FORMATS)
    cols_raw = c.get(ds, "columns", "dataset.columns", "object")
    columns = {k: c.get(cols_raw, k, "dataset.columns." + k, "str", required=False, default="")
               for k in COLUMN_KEYS}
    if fmt is not None and isinstance(cols_raw, dict):
        for key in FORMAT_COLUMNS[fmt]:
            if not columns[key].strip():
                c.problems.append(f"dataset.columns.{key} must name a column for format {fmt}")
    job["dataset"] = {
        "id": c.get(ds, "id", "dataset.id", "str", ok=_nonempty, why="must not be empty"),
        "revision": c.get(ds, "revision", "dataset.revision", "str", default=""),
        "config": c.get(ds, "config", "dataset.config", "str", default=""),
        "split": c.get(ds, "split", "dataset.split", "str", ok=_nonempty, why="must not be empty"),
        "format": fmt, "columns": columns,
        "maxRows": c.get(ds, "maxRows", "dataset.maxRows", "int", ok=lambda v: v >= 0,
                         why="must be 0 or more"),
    }

    method = c.choice(raw, "method", "method", METHODS)
    job["method"] = method

    t = c.get(raw, "training", "training", "object")
    positive = {"ok": lambda v: v >= 1, "why": "must be 1 or more"}
    not_negative = {"ok": lambda v: v >= 0, "why": "must be 0 or more"}
    training = {
        "epochs": c.get(t, "epochs", "training.epochs", "number", **not_negative),
        "maxSteps": c.get(t, "maxSteps", "training.maxSteps", "int", **not_negative),
        "learningRate": c.get(t, "learningRate", "training.learningRate", "number",
                              ok=lambda v: 0 < v < 1, why="must be above 0 and below 1"),
        "microBatch": c.get(t, "microBatch", "training.microBatch", "int", **positive),
        "gradientAccumulation": c.get(t, "gradientAccumulation", "training.gradientAccumulation", "int",
                                      **positive),
        "sequenceLength": c.get(t, "sequenceLength", "training.sequenceLength", "int",
                                ok=lambda v: 16 <= v <= 1048576, why="must be between 16 and 1048576"),
        "gradientCheckpointing": c.get(t, "gradientCheckpointing", "training.gradientCheckpointing", "bool"),
        "packing": c.get(t, "packing", "training.packing", "bool"),
        "warmupRatio": c.get(t, "warmupRatio", "training.warmupRatio", "number",
                             ok=lambda v: 0 <= v <= 1, why="must be between 0 and 1"),
        "lrScheduler": c.choice(t, "lrScheduler", "training.lrScheduler", SCHEDULERS),
        "weightDecay": c.get(t, "weightDecay", "training.weightDecay", "number", **not_negative),
        "seed": c.get(t, "seed", "training.seed", "int", ok=lambda v: 0 <= v < 2**32,
                      why="must be between 0 and 4294967295"),
        "saveSteps": c.get(t, "saveSteps", "training.saveSteps", "int", **positive),
        "loggingSteps": c.get(t, "loggingSteps", "training.loggingSteps", "int", **positive),
    }
    if training["epochs"] is not None and training["maxSteps"] == 0 and training["epochs"] <= 0:
        c.problems.append("training.epochs must be above 0 when training.maxSteps is 0")
    job["training"] = training

    # LoRA settings matter only for the adapter methods; a full fine-tune may omit them.
    needs_lora = method in ("lora", "qlora4", "qlora8")
    lora = c.get(raw, "lora", "lora", "object", required=needs_lora, default={} if not needs_lora else None)
    targets = c.get(lora, "targets", "lora.targets", "list", required=needs_lora, default=[])
    if isinstance(targets, list) and not all(isinstance(x, str) and x.strip() for x in targets):
        c.problems.append("lora.targets must be a list of module names")
        targets = []
    job["lora"] = {
        "rank": c.get(lora, "rank", "lora.rank", "int", required=needs_lora, default=16, **positive),
        "alpha": c.get(lora, "alpha", "lora.alpha", "number", required=needs_lora, default=32,
                       ok=lambda v: v > 0, why="must be above 0"),
        "dropout": c.get(lora, "dropout", "lora.dropout", "number", required=needs_lora, default=0.0,
                         ok=lambda v: 0 <= v < 1, why="must be at least 0 and below 1"),
        "targets": targets,
    }

    parallelism = c.choice(raw, "parallelism", "parallelism", PARALLELISM)
    if parallelism == "fsdp" and method == "qlora8":
        c.problems.append("parallelism fsdp cannot shard 8-bit weights; use qlora4, ddp or single")
    job["parallelism"] = parallelism
    job["maxRuntimeSeconds"] = c.get(raw, "maxRuntimeSeconds", "maxRuntimeSeconds", "int",
                                     ok=lambda v: v >= 0, why="must be 0 or more")
    out = c.get(raw, "output", "output", "object")
    job["output"] = {"hubRepo": c.get(out, "hubRepo", "output.hubRepo", "str"),
                     "private": c.get(out, "private", "output.private", "bool"),
                     "dir": c.get(out, "dir", "output.dir", "str")}
    job["reportTo"] = c.choice(raw, "reportTo", "reportTo", REPORT_TO)
    if c.problems:
        raise ConfigError(c.problems)
    return job


def load_job(path):
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror or e}") from e
    except ValueError as e:  # JSONDecodeError and UnicodeDecodeError
        raise ConfigError(f"{path} is not valid JSON: {e}") from e
    return validate_job(raw)


def job_path(argv, env, script_dir):
    """VIBEML_JOB, else the first argument, else job.json beside this script."""
    if env.get("VIBEML_JOB"):
        return Path(env["VIBEML_JOB"])
    if len(argv) > 1:
        return Path(argv[1])
    return Path(script_dir) / "job.json"


def output_dir_name(name):
    """One safe folder name below the working directory: no separators, no '..', never hidden."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name if isinstance(name, str) else "")
    cleaned = cleaned.lstrip(".-")[:64].rstrip(".-")
    return cleaned or "outputs"


# --------------------------------------------------------------------------------------------
# Row formatting (pure): each usable row becomes segments [(text, trainable)], unusable → None
# --------------------------------------------------------------------------------------------

ROLE_ALIASES = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant",
                "system": "system", "tool": "tool"}

# Alpaca's own prompt text (Stanford Alpaca, 2023), so models trained here match that convention.
ALPACA_WITH_INPUT = ("Below is an instruction that describes a task, paired with an input that provides "
                     "further context. Write a response that appropriately completes the request.\n\n"
                     "### Instruction:\n")
ALPACA_NO_INPUT = ("Below is an instruction that describes a task. Write a response that appropriately "
                   "completes the request.\n\n### Instruction:\n")

# Used when the tokenizer has no chat template: ChatML. The same template is stored in the saved
# tokenizer so inference renders conversations exactly the way training did.
CHATML_TEMPLATE = ("{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
                   "message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
                   "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")


def fallback_chat_template(messages, add_generation_prompt=False):
    """Python twin of CHATML_TEMPLATE: '<|im_start|>{role}\\n{content}<|im_end|>\\n' per message."""
    parts = ["<|im_start|>" + m["role"] + "\n" + m["content"] + "<|im_end|>\n" for m in messages]
    if add_generation_prompt:
        parts.append("<|im_start|>assistant\n")
    return "".join(parts)


def normalise_messages(value, role_key="role", content_key="content"):
    """A conversation as [{'role', 'content'}] with ShareGPT names mapped, or None when unusable."""
    if not isinstance(value, list) or not value:
        return None
    role_key, content_key = role_key or "role", content_key or "content"
    out = []
    for message in value:
        if not isinstance(message, dict):
            return None
        rk = role_key if role_key in message else ("from" if "from" in message else role_key)
        ck = content_key if content_key in message else ("value" if "value" in message else content_key)
        role, content = message.get(rk), message.get(ck)
        if not isinstance(role, str) or not isinstance(content, str):
            return None
        role = ROLE_ALIASES.get(role.strip().lower())
        if role is None:
            return None
        if not content.strip():
            if role == "system":
                continue  # an empty system prompt says nothing; drop it rather than the row
            return None
        out.append({"role": role, "content": content})
    if not any(m["role"] == "assistant" for m in out):
        return None
    return out


def chat_segments(messages, render):
    """Split a rendered conversation so only assistant turns are trained.

    render(messages, add_generation_prompt) -> str is the tokenizer's chat template. Each assistant
    turn is the text that rendering it adds after the generation prompt. Templates that do not
    render prefixes consistently (some rewrite earlier turns) fall back to training the last turn.
    """
    try:
        segments, done = [], ""
        for i, message in enumerate(messages):
            if message["role"] != "assistant":
                continue
            prompt, full = render(messages[:i], True), render(messages[: i + 1], False)
            if not prompt.startswith(done) or not full.startswith(prompt):
                return _last_turn_segments(messages, render)
            segments += [(prompt[len(done):], False), (full[len(prompt):], True)]
            done = full
        return [(text, trainable) for text, trainable in segments if text] or None
    except Exception:  # a template that rejects this conversation (e.g. no system role) → skip row
        return None


def _last_turn_segments(messages, render):
    last = max(i for i, m in enumerate(messages) if m["role"] == "assistant")
    prompt, full = render(messages[:last], True), render(messages[: last + 1], False)
    if full.startswith(prompt) and len(full) > len(prompt):
        return [(prompt, False), (full[len(prompt):], True)] if prompt else [(full, True)]
    return None


def _text(row, column):
    value = row.get(column) if column else None
    return value if isinstance(value, str) and value.strip() else None


def alpaca_prompt(instruction, input_text=None):
    if input_text:
        return ALPACA_WITH_INPUT + instruction + "\n\n### Input:\n" + input_text + "\n\n### Response:\n"
    return ALPACA_NO_INPUT + instruction + "\n\n### Response:\n"


def row_segments(row, fmt, columns, render=None):
    """Turn one dataset row into [(text, trainable)] for `fmt`, or None when the row is unusable."""
    if not isinstance(row, dict):
        return None
    if fmt == "chat":
        messages = normalise_messages(row.get(columns["messages"]), columns.get("roleKey"),
                                      columns.get("contentKey"))
        return chat_segments(messages, render or fallback_chat_template) if messages else None
    if fmt == "instruction":
        instruction, output = _text(row, columns["instruction"]), _text(row, columns["output"])
        input_value = row.get(columns["input"]) if columns.get("input") else None
        if instruction is None or output is None or not (input_value is None or isinstance(input_value, str)):
            return None
        input_text = input_value if input_value and input_value.strip() else None
        return [(alpaca_prompt(instruction, input_text), False), (output, True)]
    if fmt == "prompt-completion":
        prompt, completion = _text(row, columns["prompt"]), _text(row, columns["completion"])
        return None if prompt is None or completion is None else [(prompt, False), (completion, True)]
    if fmt == "text":
        text = _text(row, columns["text"])
        return None if text is None else [(text, True)]
    raise ValueError("unknown format")


def format_rows(rows, fmt, columns, render=None):
    """Segments for every usable row plus the number skipped."""
    formatted = [row_segments(r, fmt, columns, render) for r in rows]
    usable = [s for s in formatted if s is not None]
    return usable, len(formatted) - len(usable)


def describe_columns(fmt, columns):
    if fmt == "chat":
        role, content = columns.get("roleKey") or "role", columns.get("contentKey") or "content"
        return "column '%s' (role key '%s', content key '%s')" % (columns["messages"], role, content)
    keys = [k for k in ("instruction", "input", "output", "prompt", "completion", "text")
            if k in FORMAT_COLUMNS[fmt] or (k == "input" and fmt == "instruction" and columns.get("input"))]
    return "columns " + ", ".join("'%s'" % columns[k] for k in keys)


def check_usable(total, unusable, fmt, columns, too_long=0):
    """Raise DataError when no row or at most half of the rows can be trained on."""
    bad = unusable + too_long
    if total > 0 and bad * 2 <= total and bad < total:
        return
    detail = f"{bad} of {total} rows could not be used"
    if too_long:
        detail += f" ({too_long} had no response left within sequenceLength)"
    raise DataError(f"{detail}: format {fmt} reads {describe_columns(fmt, columns)}. "
                    "Check the column mapping and that the rows hold non-empty text.")


# --------------------------------------------------------------------------------------------
# Token lists (pure): loss masking, truncation, padding, packing
# --------------------------------------------------------------------------------------------

def mask_labels(pieces):
    """pieces: [(token_ids, trainable)] → (input_ids, labels); prompt tokens get IGNORE_INDEX."""
    input_ids, labels = [], []
    for ids, trainable in pieces:
        input_ids.extend(ids)
        labels.extend(ids if trainable else [IGNORE_INDEX] * len(ids))
    return input_ids, labels


def encode_example(segments, encode, bos_ids=(), eos_id=None, eos_after_trainable=False):
    """Tokenise each segment separately (so the prompt/response boundary is exact) and mask labels.

    eos_after_trainable appends EOS after every trained segment so the model learns to stop where
    the text itself carries no end-of-turn token (instruction, prompt-completion, text, ChatML fallback).
    """
    pieces = [(list(bos_ids), False)] if bos_ids else []
    for text, trainable in segments:
        ids = list(encode(text))
        if trainable and eos_after_trainable and eos_id is not None:
            ids.append(eos_id)
        pieces.append((ids, trainable))
    return mask_labels(pieces)


def has_trainable(labels):
    return any(label != IGNORE_INDEX for label in labels)


def truncate_example(input_ids, labels, max_length):
    return list(input_ids[:max_length]), list(labels[:max_length])


def pad_example(input_ids, labels, length, pad_id):
    """Right-pad to `length` → (input_ids, labels, attention_mask)."""
    missing = length - len(input_ids)
    if missing < 0:
        raise ValueError("example longer than the padded length")
    return (list(input_ids) + [pad_id] * missing, list(labels) + [IGNORE_INDEX] * missing,
            [1] * len(input_ids) + [0] * missing)


def pad_batch(examples, pad_id, max_length, multiple=8):
    """Pad a batch to its longest example, rounded up to `multiple`, never past max_length."""
    longest = max(len(ids) for ids, _ in examples)
    target = min(max_length, -(-longest // multiple) * multiple)
    batch = {"input_ids": [], "labels": [], "attention_mask": []}
    for ids, labels in examples:
        ids, labels = truncate_example(ids, labels, target)
        padded = pad_example(ids, labels, target, pad_id)
        for key, value in zip(("input_ids", "labels", "attention_mask"), padded):
            batch[key].append(value)
    return batch


def pack_examples(examples, block_size, eos_id):
    """Concatenate examples (EOS between them) and cut fixed `block_size` blocks.

    Examples that already end with EOS get no second one. An added EOS only marks the document
    boundary and is not trained: the chat template's own end-of-turn token already teaches stopping.
    The last block may be shorter (the collator pads it); blocks without a trained token are dropped.
    """
    blocks, ids_buf, labels_buf = [], [], []
    for ids, labels in examples:
        ids_buf.extend(ids)
        labels_buf.extend(labels)
        if eos_id is not None and ids and ids[-1] != eos_id:
            ids_buf.append(eos_id)
            labels_buf.append(IGNORE_INDEX)
        while len(ids_buf) >= block_size:
            blocks.append((ids_buf[:block_size], labels_buf[:block_size]))
            del ids_buf[:block_size], labels_buf[:block_size]
    if ids_buf:
        blocks.append((ids_buf, labels_buf))
    return [(i, l) for i, l in blocks if has_trainable(l)]


# --------------------------------------------------------------------------------------------
# Progress lines
# --------------------------------------------------------------------------------------------

def _json_safe(value):
    # JSON has no NaN or infinity; the app reads null as "unknown".
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def format_event(event, fields, now=None):
    """One progress line: the prefix and a compact JSON object with event, time and the fields."""
    if event not in EVENT_FIELDS:
        raise ValueError("unknown event " + event)
    missing = [f for f in EVENT_FIELDS[event] if f not in fields]
    if missing:
        raise ValueError(f"{event} event lacks " + ", ".join(missing))
    if event == "error" and fields["kind"] not in ERROR_KINDS:
        raise ValueError("unknown error kind")
    payload = {"event": event, "time": int(time.time() if now is None else now)}
    payload.update(_json_safe(dict(fields)))
    return PREFIX + json.dumps(payload, allow_nan=False, separators=(",", ":"))


def is_rank_zero(env=None):
    env = os.environ if env is None else env
    return env.get("RANK", "0") in ("", "0")


def log(text):
    """Ordinary log line, rank 0 only, so eight processes do not print it eight times."""
    if is_rank_zero():
        print("vibeml: " + text, flush=True)


def emit(event, **fields):
    """Print a progress line on global rank 0 only (every rank runs this code)."""
    if is_rank_zero():
        print(format_event(event, fields), flush=True)


def world_from_env(env):
    """gpus/nodes/ranks as torchrun describes them; a plain `python train.py` is one GPU, one node."""
    def number(name, default):
        try:
            return int(env.get(name, "") or default)
        except ValueError:
            return default
    world = max(1, number("WORLD_SIZE", 1))
    local = max(1, number("LOCAL_WORLD_SIZE", world))
    return {"gpus": world, "nodes": max(1, world // local), "rank": number("RANK", 0),
            "localRank": number("LOCAL_RANK", 0)}


def _round(value, digits):
    return None if value is None else round(float(value), digits)


class ProgressReporter:
    """Turns trainer state into progress events; kept free of transformers so it can be tested."""

    def __init__(self, job, rows, gpus, nodes, tokens_per_step, emit_fn=emit, clock=time.time):
        self.job, self.rows, self.gpus, self.nodes = job, rows, gpus, nodes
        self.tokens_per_step, self.emit, self.clock = tokens_per_step, emit_fn, clock
        self.begin_time, self.begin_step, self.last_loss = None, 0, None

    def train_begin(self, step, total_steps):
        self.begin_time, self.begin_step = self.clock(), step
        self.emit("start", model=self.job["model"]["id"], dataset=self.job["dataset"]["id"],
                  method=self.job["method"], totalSteps=total_steps, gpus=self.gpus, nodes=self.nodes,
                  rows=self.rows, resumedFromStep=step)

    def log(self, step, total_steps, logs, gpu_memory_gb):
        if "loss" not in logs:
            if "train_loss" in logs and self.last_loss is None:
                self.last_loss = logs["train_loss"]  # the end-of-training summary
            return
        self.last_loss = logs["loss"]
        elapsed = max(1e-9, self.clock() - (self.begin_time or self.clock()))
        done = step - self.begin_step
        rate = done / elapsed if done > 0 else None
        eta = (total_steps - step) / rate if rate else None
        self.emit("progress", step=step, totalSteps=total_steps, loss=_round(logs["loss"], 4),
                  learningRate=logs.get("learning_rate"), epoch=_round(logs.get("epoch"), 3),
                  tokensPerSecond=_round(rate * self.tokens_per_step, 1) if rate else None,
                  etaSeconds=int(eta) if eta is not None else None, gpuMemoryGB=_round(gpu_memory_gb, 2))

    def evaluate(self, step, metrics):
        self.emit("eval", step=step, evalLoss=_round(metrics.get("eval_loss"), 4))

    def checkpoint(self, step, path):
        self.emit("checkpoint", step=step, path=str(path))


def runtime_margin(max_runtime_seconds):
    """Stop this long before the limit: 5 % of it, at most 10 minutes, to save and upload."""
    return min(0.05 * max_runtime_seconds, 600.0)


def runtime_deadline(started_at, max_runtime_seconds):
    if not max_runtime_seconds:
        return None
    return started_at + max_runtime_seconds - runtime_margin(max_runtime_seconds)


def pick_resume_checkpoint(checkpoint_dir):
    """Newest checkpoint-N folder that is complete (trainer_state.json is written last), or None."""
    best = None
    try:
        entries = list(Path(checkpoint_dir).iterdir())
    except OSError:
        return None
    for entry in entries:
        match = re.fullmatch(r"checkpoint-(\d+)", entry.name)
        if match and (entry / "trainer_state.json").is_file():
            if best is None or int(match.group(1)) > best[0]:
                best = (int(match.group(1)), entry)
    return None if best is None else best[1]


def pick_wrap_classes(no_split_modules):
    """FSDP wraps each decoder layer; prefer *DecoderLayer names among a model's _no_split_modules."""
    names = list(dict.fromkeys(n for n in (no_split_modules or []) if isinstance(n, str) and n))
    decoders = [n for n in names if n.endswith("DecoderLayer")]
    return decoders or names


# --------------------------------------------------------------------------------------------
# Plans for transformers / peft (pure dictionaries, turned into objects in run_training)
# --------------------------------------------------------------------------------------------

def sharded(job, world):
    """FSDP only where there is something to shard over; one GPU trains as `single`."""
    return job["parallelism"] == "fsdp" and world["gpus"] > 1


def training_arguments(job, checkpoint_dir, world, layer_classes=()):
    t, fsdp = job["training"], sharded(job, world)
    adapter = job["method"] in ("lora", "qlora4", "qlora8")
    kwargs = {
        "output_dir": str(checkpoint_dir), "overwrite_output_dir": False,
        "per_device_train_batch_size": t["microBatch"],
        "gradient_accumulation_steps": t["gradientAccumulation"],
        "learning_rate": t["learningRate"], "weight_decay": t["weightDecay"],
        "num_train_epochs": t["epochs"] if t["epochs"] > 0 else 1.0,
        "max_steps": t["maxSteps"] if t["maxSteps"] > 0 else -1,
        "lr_scheduler_type": t["lrScheduler"], "warmup_ratio": t["warmupRatio"],
        "logging_steps": t["loggingSteps"], "logging_first_step": True,
        "save_strategy": "steps", "save_steps": t["saveSteps"], "save_total_limit": 2,
        "bf16": True, "seed": t["seed"],
        # transformers refuses gradient_checkpointing together with FSDP's own activation checkpointing.
        "gradient_checkpointing": t["gradientCheckpointing"] and not fsdp,
        "gradient_checkpointing_kwargs": {"use_reentrant": False},
        "report_to": "none" if job["reportTo"] == "none" else [job["reportTo"]],
        "run_name": job["jobId"], "disable_tqdm": True, "remove_unused_columns": False,
        "ddp_timeout": 7200,  # rank 0 prepares the dataset while the others wait at a barrier
    }
    if world["gpus"] > 1 and not fsdp:
        kwargs["ddp_find_unused_parameters"] = False
    if fsdp:
        kwargs["fsdp"] = "full_shard auto_wrap"
        kwargs["fsdp_config"] = {
            "transformer_layer_cls_to_wrap": list(layer_classes),
            "backward_prefetch": "backward_pre", "forward_prefetch": False,
            "use_orig_params": adapter,  # frozen base + trainable adapters in one FSDP unit
            "sync_module_states": True, "cpu_ram_efficient_loading": True,
            "activation_checkpointing": t["gradientCheckpointing"],
        }
    return kwargs


def model_plan(job, world):
    """How to load the base model: dtype, quantisation, device map, adapter and k-bit preparation."""
    method, fsdp = job["method"], sharded(job, world)
    quantised = method in ("qlora4", "qlora8")
    return {
        "dtype": "float32" if method == "full" else "bfloat16",  # full: fp32 master weights, bf16 autocast
        "quantisation": {"qlora4": "nf4", "qlora8": "int8"}.get(method),
        "quantStorageBf16": method == "qlora4" and fsdp,  # FSDP shards 4-bit weights stored as bf16
        # bitsandbytes quantises on load, so each process puts its copy on its own GPU; FSDP places itself.
        "deviceMap": {"": world["localRank"]} if quantised and not fsdp else None,
        "prepareKbit": quantised and not fsdp,  # its fp32 upcast would break FSDP's uniform dtype
        "adapter": method in ("lora", "qlora4", "qlora8"),
    }


def lora_arguments(job):
    lora = job["lora"]
    return {"r": lora["rank"], "lora_alpha": lora["alpha"], "lora_dropout": lora["dropout"],
            "target_modules": list(lora["targets"]) or "all-linear", "bias": "none", "task_type": "CAUSAL_LM"}


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------

OOM_ADVICE = ("The GPU ran out of memory. Lower microBatch or sequenceLength, turn on gradient "
              "checkpointing, use QLoRA, or choose a GPU with more memory.")
AUTH_ADVICE = ("The Hugging Face Hub refused access. Check that HF_TOKEN is set for this run, that it can "
               "read the model and dataset (accept a gated model's licence on its Hub page first) and, "
               "for uploads, that it may write to the output repository.")


AUTH_PATTERN = r"\b40[13] Client Error|gated repo|Invalid user token|Invalid credentials"


def _chain(exc):
    seen = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def _with_detail(advice, text):
    first = text.strip().splitlines()[0][:300] if text.strip() else ""
    return advice + (" (" + first + ")" if first else "")


def classify_error(exc):
    """(kind, message, exit code) for an exception, walking its cause chain."""
    chain = _chain(exc)
    for e in chain:
        if isinstance(e, ConfigError):
            return "config", str(e), EXIT_CONFIG
        if isinstance(e, DataError):
            return "data", str(e), EXIT_DATA
    for e in chain:
        names = {cls.__name__ for cls in type(e).__mro__}
        text = str(e)
        if "OutOfMemoryError" in names or "out of memory" in text.lower():
            return "oom", _with_detail(OOM_ADVICE, text), EXIT_OOM
        status = getattr(getattr(e, "response", None), "status_code", None)
        if (names & {"GatedRepoError", "RepositoryNotFoundError"} or status in (401, 403)
                or re.search(AUTH_PATTERN, text)):
            return "auth", _with_detail(AUTH_ADVICE, text), EXIT_AUTH
    message = f"{type(exc).__name__}: {exc}".strip()
    return "runtime", message[:2000], EXIT_RUNTIME


# --------------------------------------------------------------------------------------------
# Training (runs on the cluster; needs the packages in requirements.txt)
# --------------------------------------------------------------------------------------------

def _prepare_dataset(job, tokenizer, render, eos_after_trainable, bos_ids):
    import datasets

    ds_cfg, t = job["dataset"], job["training"]
    fmt, columns, seq_len, packing = ds_cfg["format"], ds_cfg["columns"], t["sequenceLength"], t["packing"]
    data = datasets.load_dataset(ds_cfg["id"], name=ds_cfg["config"] or None, split=ds_cfg["split"],
                                 revision=ds_cfg["revision"] or None, trust_remote_code=False)
    if ds_cfg["maxRows"]:
        data = data.select(range(min(ds_cfg["maxRows"], len(data))))
    total = len(data)
    eos_id = tokenizer.eos_token_id

    def encode(text):
        return tokenizer(text, add_special_tokens=False)["input_ids"]

    def process(row):
        segments = row_segments(row, fmt, columns, render)
        if segments is None:
            return {"input_ids": [], "labels": [], "status": 1, "length": 0}
        ids, labels = encode_example(segments, encode, bos_ids, eos_id, eos_after_trainable)
        if not packing:
            ids, labels = truncate_example(ids, labels, seq_len)
        status = 0 if has_trainable(labels) else 2
        return {"input_ids": ids, "labels": labels, "status": status, "length": len(ids)}

    # Explicit types: a first batch of skipped rows (empty lists) must not fix the column type to null.
    token_lists = {"input_ids": datasets.Sequence(datasets.Value("int32")),
                   "labels": datasets.Sequence(datasets.Value("int32"))}
    features = datasets.Features({**token_lists, "status": datasets.Value("int8"),
                                  "length": datasets.Value("int32")})
    workers = min(8, os.cpu_count() or 1) if total > 20000 else None
    data = data.map(process, remove_columns=data.column_names, features=features, num_proc=workers,
                    desc="Tokenising")
    statuses = data["status"]
    check_usable(total, statuses.count(1), fmt, columns, too_long=statuses.count(2))
    data = data.filter(lambda s: s == 0, input_columns="status").remove_columns("status")
    rows = len(data)
    if packing:
        def pack(batch):
            blocks = pack_examples(zip(batch["input_ids"], batch["labels"]), seq_len, eos_id)
            return {"input_ids": [b[0] for b in blocks], "labels": [b[1] for b in blocks]}
        data = data.map(pack, batched=True, batch_size=2000, remove_columns=data.column_names,
                        features=datasets.Features(token_lists), desc="Packing")
        mean_len = float(seq_len)
    else:
        mean_len = sum(data["length"]) / max(1, rows)
        data = data.remove_columns("length")
    log(f"{rows} of {total} rows usable, {len(data)} training examples")
    return data, rows, mean_len


def _load_model(job, plan, fsdp, torch):
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    dtype = getattr(torch, plan["dtype"])
    # trust_remote_code stays off: a Hub repo's own Python would run with the user's token in reach.
    kwargs = {"revision": job["model"]["revision"] or None, "torch_dtype": dtype, "trust_remote_code": False,
              "low_cpu_mem_usage": True}
    if plan["quantisation"] == "nf4":
        bnb = {"load_in_4bit": True, "bnb_4bit_quant_type": "nf4", "bnb_4bit_use_double_quant": True,
               "bnb_4bit_compute_dtype": torch.bfloat16}
        if plan["quantStorageBf16"]:
            bnb["bnb_4bit_quant_storage"] = torch.bfloat16
        kwargs["quantization_config"] = BitsAndBytesConfig(**bnb)
    elif plan["quantisation"] == "int8":
        kwargs["quantization_config"] = BitsAndBytesConfig(load_in_8bit=True)
    if plan["deviceMap"] is not None:
        kwargs["device_map"] = plan["deviceMap"]
    model = AutoModelForCausalLM.from_pretrained(job["model"]["id"], **kwargs)
    model.config.use_cache = False  # the KV cache is useless in training and clashes with checkpointing

    gradient_checkpointing = job["training"]["gradientCheckpointing"] and not fsdp  # FSDP does its own
    if plan["prepareKbit"]:
        from peft import prepare_model_for_kbit_training
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=gradient_checkpointing,
                                                gradient_checkpointing_kwargs={"use_reentrant": False})
    if plan["adapter"]:
        from peft import LoraConfig, get_peft_model
        model = get_peft_model(model, LoraConfig(**lora_arguments(job)))
        if gradient_checkpointing:
            model.enable_input_require_grads()  # checkpointed blocks need a grad path from frozen embeddings
        if is_rank_zero():
            model.print_trainable_parameters()
    return model


def _layer_classes(job):
    from transformers import MODEL_FOR_CAUSAL_LM_MAPPING, AutoConfig

    config = AutoConfig.from_pretrained(job["model"]["id"], revision=job["model"]["revision"] or None,
                                        trust_remote_code=False)
    try:
        names = getattr(MODEL_FOR_CAUSAL_LM_MAPPING[type(config)], "_no_split_modules", None)
    except KeyError:
        names = None
    classes = pick_wrap_classes(names)
    if not classes:
        raise ConfigError("FSDP could not find this model's decoder layer class; choose ddp or single")
    return classes


def _make_callbacks(reporter, deadline, torch):
    from transformers import TrainerCallback

    def gpu_memory_gb():
        return torch.cuda.max_memory_allocated() / 2**30 if torch.cuda.is_available() else None

    class Progress(TrainerCallback):
        def on_train_begin(self, args, state, control, **kwargs):
            reporter.train_begin(state.global_step, state.max_steps)

        def on_log(self, args, state, control, logs=None, **kwargs):
            reporter.log(state.global_step, state.max_steps, logs or {}, gpu_memory_gb())

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):
            reporter.evaluate(state.global_step, metrics or {})

        def on_save(self, args, state, control, **kwargs):
            reporter.checkpoint(state.global_step, Path(args.output_dir) / f"checkpoint-{state.global_step}")

    class RuntimeLimit(TrainerCallback):
        stopped = False

        def on_step_end(self, args, state, control, **kwargs):
            if deadline is None:
                return control
            expired = 1.0 if time.time() >= deadline else 0.0
            # Ranks must agree on the stopping step, or the others hang in the next collective.
            if torch.distributed.is_available() and torch.distributed.is_initialized():
                cuda = torch.cuda.is_available()
                flag = torch.tensor([expired], device=torch.cuda.current_device() if cuda else "cpu")
                torch.distributed.all_reduce(flag, op=torch.distributed.ReduceOp.MAX)
                expired = flag.item()
            if expired:
                RuntimeLimit.stopped = True
                control.should_save = True
                control.should_training_stop = True
            return control

    return Progress(), RuntimeLimit()


def _weights_to_bf16(folder, torch):
    """fp32 master weights were for training; ship bf16 (half the download), shard by shard."""
    from safetensors.torch import load_file, save_file

    total = 0
    for path in sorted(Path(folder).glob("*.safetensors")):
        tensors = {name: t.to(torch.bfloat16) if t.is_floating_point() else t.clone()
                   for name, t in load_file(str(path)).items()}
        total += sum(t.numel() * t.element_size() for t in tensors.values())
        partial = path.with_name(path.name + ".partial")
        save_file(tensors, str(partial), metadata={"format": "pt"})
        os.replace(partial, path)  # the old file may still be memory-mapped; never truncate it
    for name, key, value in (("model.safetensors.index.json", "metadata", {"total_size": total}),
                             ("config.json", "torch_dtype", "bfloat16")):
        path = Path(folder) / name
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(value, dict):
                data.setdefault(key, {}).update(value)
            else:
                data[key] = value
            path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _upload(job, final_dir):
    from huggingface_hub import HfApi

    api = HfApi()  # reads HF_TOKEN from the environment
    url = api.create_repo(job["output"]["hubRepo"], private=job["output"]["private"], repo_type="model",
                          exist_ok=True)
    api.upload_folder(repo_id=url.repo_id, folder_path=str(final_dir), repo_type="model",
                      commit_message="VibeML fine-tune " + job["jobId"])
    return url.repo_id, str(url)


def run_training(job, started_at):
    # hf_transfer speeds up large downloads; huggingface_hub reads the switch when it is imported.
    import importlib.util
    if importlib.util.find_spec("hf_transfer") is not None:
        os.environ.setdefault("HF_HUB_ENABLE_HF_TRANSFER", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("WANDB_PROJECT", "vibeml")

    import torch
    from transformers import AutoTokenizer, Trainer, TrainingArguments, set_seed

    world = world_from_env(os.environ)
    out_root = Path(output_dir_name(job["output"]["dir"]))
    checkpoint_dir, final_dir = out_root / "checkpoints", out_root / "final"
    layers = _layer_classes(job) if sharded(job, world) else ()
    # TrainingArguments first: it starts the process group and tells from_pretrained about FSDP.
    args = TrainingArguments(**training_arguments(job, checkpoint_dir, world, layers))
    set_seed(job["training"]["seed"])

    tokenizer = AutoTokenizer.from_pretrained(job["model"]["id"], revision=job["model"]["revision"] or None,
                                              trust_remote_code=False)
    if tokenizer.eos_token_id is None:
        raise ConfigError("the model's tokenizer has no end-of-sequence token")
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token  # padded positions are masked out of attention and loss
    fmt = job["dataset"]["format"]
    # Plain-text formats start with BOS exactly when the tokenizer adds one by itself (Llama yes, Qwen no).
    bos = tokenizer.bos_token_id
    bos_ids = [bos] if bos is not None and tokenizer("a")["input_ids"][:1] == [bos] else []
    if fmt == "chat" and getattr(tokenizer, "chat_template", None):
        def render(messages, add_generation_prompt):
            return tokenizer.apply_chat_template(messages, tokenize=False,
                                                 add_generation_prompt=add_generation_prompt)
        eos_after_trainable, bos_ids = False, []  # the template writes BOS and end-of-turn tokens itself
    else:
        render, eos_after_trainable = fallback_chat_template, True
        if fmt == "chat":
            tokenizer.chat_template = CHATML_TEMPLATE

    with args.main_process_first(desc="dataset preparation"):
        train_data, rows, mean_len = _prepare_dataset(job, tokenizer, render, eos_after_trainable, bos_ids)

    model = _load_model(job, model_plan(job, world), sharded(job, world), torch)
    t = job["training"]
    tokens_per_step = mean_len * t["microBatch"] * t["gradientAccumulation"] * world["gpus"]
    reporter = ProgressReporter(job, rows, world["gpus"], world["nodes"], tokens_per_step)
    progress, limit = _make_callbacks(reporter, runtime_deadline(started_at, job["maxRuntimeSeconds"]), torch)

    pad_id, seq_len = tokenizer.pad_token_id, t["sequenceLength"]

    def collate(features):
        batch = pad_batch([(f["input_ids"], f["labels"]) for f in features], pad_id, seq_len)
        return {key: torch.tensor(value, dtype=torch.long) for key, value in batch.items()}

    trainer = Trainer(model=model, args=args, train_dataset=train_data, data_collator=collate,
                      callbacks=[progress, limit])
    resume = pick_resume_checkpoint(checkpoint_dir)
    if resume is not None:
        log(f"resuming from {resume}")
    result = trainer.train(resume_from_checkpoint=str(resume) if resume else None)

    if trainer.is_fsdp_enabled:
        trainer.accelerator.state.fsdp_plugin.set_state_dict_type("FULL_STATE_DICT")
    trainer.save_model(str(final_dir))  # every rank takes part (FSDP gathers); rank 0 writes
    hub_repo, hub_url = "", ""
    if trainer.is_world_process_zero():
        if job["method"] == "full":
            _weights_to_bf16(final_dir, torch)
        tokenizer.save_pretrained(str(final_dir))
        with open(final_dir / "vibeml_job.json", "w", encoding="utf-8") as f:
            json.dump(job, f, indent=2)
        if job["output"]["hubRepo"]:
            hub_repo, hub_url = _upload(job, final_dir)
    final_loss = reporter.last_loss if reporter.last_loss is not None else result.training_loss
    emit("done", outputDir=str(final_dir), hubRepo=hub_repo, hubUrl=hub_url, steps=trainer.state.global_step,
         finalLoss=_round(final_loss, 4), stoppedEarly=bool(limit.stopped))
    return EXIT_OK


def main(argv=None):
    started_at = time.time()
    argv = sys.argv if argv is None else argv
    try:
        job = load_job(job_path(argv, os.environ, Path(__file__).resolve().parent))
        return run_training(job, started_at)
    except Exception as exc:  # every failure must reach the app as an error event
        traceback.print_exc()
        kind, message, code = classify_error(exc)
        emit("error", kind=kind, message=message)
        return code


if __name__ == "__main__":
    sys.exit(main())
