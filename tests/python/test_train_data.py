"""Tests for resources/training/train.py and run.sh with a bare python3 (no torch, no packages).

They cover what VibeML relies on before a GPU is ever rented: job.json validation, row formatting,
loss masking, packing and padding, the progress-line protocol, the runtime guard arithmetic and the
torchrun command line that run.sh builds. Nothing is written into the source tree.
"""

import ast
import contextlib
import io
import json
import os
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

sys.dont_write_bytecode = True  # keep __pycache__ out of resources/training
ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "resources" / "training"
DATA = ROOT / "tests" / "data" / "training"
sys.path.insert(0, str(TRAINING))

import train  # noqa: E402


def fixture(name):
    with open(DATA / name, encoding="utf-8") as f:
        return json.load(f)


def rows(name):
    return fixture("rows/" + name)["rows"]


def good_job():
    return fixture("job.json")


def columns(**names):
    cols = {k: "" for k in train.COLUMN_KEYS}
    cols.update(names)
    return cols


def char_encode(text):
    """A stand-in tokenizer: one token per character, so expected ids are easy to write down."""
    return [ord(c) for c in text]


def bracket_template(messages, add_generation_prompt=False):
    """A fake chat template in the style of Llama's: BOS, role headers, an end-of-turn marker."""
    text = "<s>" + "".join("[" + m["role"] + "]" + m["content"] + "</t>" for m in messages)
    return text + ("[assistant]" if add_generation_prompt else "")


def set_path(obj, path, value):
    keys = path.split(".")
    for key in keys[:-1]:
        obj = obj[key]
    obj[keys[-1]] = value


def del_path(obj, path):
    keys = path.split(".")
    for key in keys[:-1]:
        obj = obj[key]
    del obj[keys[-1]]


class JobValidationTest(unittest.TestCase):
    def problems(self, job):
        with self.assertRaises(train.ConfigError) as caught:
            train.validate_job(job)
        return caught.exception.problems

    def test_readme_example_is_valid(self):
        job = train.validate_job(good_job())
        self.assertEqual(job["model"]["id"], "Qwen/Qwen2.5-0.5B-Instruct")
        self.assertEqual(job["dataset"]["format"], "chat")
        self.assertEqual(job["dataset"]["columns"]["messages"], "messages")
        self.assertEqual(job["training"]["sequenceLength"], 2048)
        self.assertEqual(job["lora"]["targets"][0], "q_proj")
        self.assertEqual(job["output"], {"hubRepo": "", "private": True, "dir": "outputs"})

    def test_every_required_field_missing(self):
        required = [
            "schema", "jobId", "model", "model.id", "model.revision", "dataset", "dataset.id",
            "dataset.revision", "dataset.config", "dataset.split", "dataset.format", "dataset.columns",
            "dataset.maxRows", "method", "training", "training.epochs", "training.maxSteps",
            "training.learningRate", "training.microBatch", "training.gradientAccumulation",
            "training.sequenceLength", "training.gradientCheckpointing", "training.packing",
            "training.warmupRatio", "training.lrScheduler", "training.weightDecay", "training.seed",
            "training.saveSteps", "training.loggingSteps", "lora", "lora.rank", "lora.alpha",
            "lora.dropout", "lora.targets", "parallelism", "maxRuntimeSeconds", "output",
            "output.hubRepo", "output.private", "output.dir", "reportTo",
        ]
        for path in required:
            with self.subTest(path=path):
                job = good_job()
                del_path(job, path)
                self.assertIn(path + " is missing", self.problems(job))

    def test_wrong_types(self):
        cases = [
            ("schema", "1"), ("jobId", 7), ("model", "Qwen/Qwen2.5-0.5B-Instruct"), ("model.id", None),
            ("dataset.columns", ["messages"]), ("dataset.columns.roleKey", 1), ("dataset.maxRows", 1.5),
            ("training.epochs", "1"), ("training.microBatch", True), ("training.microBatch", 1.0),
            ("training.gradientCheckpointing", 1), ("training.packing", "false"),
            ("training.learningRate", float("nan")), ("training.learningRate", float("inf")),
            ("lora.targets", "q_proj"), ("lora.rank", "16"), ("output.private", "yes"),
            ("maxRuntimeSeconds", 21600.0), ("output.hubRepo", None),
        ]
        for path, value in cases:
            with self.subTest(path=path, value=value):
                job = good_job()
                set_path(job, path, value)
                self.assertTrue(any(p.startswith(path) for p in self.problems(job)), path)

    def test_bad_enums(self):
        for path, value in [("method", "qlora3"), ("method", "LORA"), ("dataset.format", "csv"),
                            ("parallelism", "deepspeed"), ("training.lrScheduler", "cosinus"),
                            ("reportTo", "mlflow")]:
            with self.subTest(path=path, value=value):
                job = good_job()
                set_path(job, path, value)
                problem = next(p for p in self.problems(job) if p.startswith(path))
                self.assertIn("must be one of", problem)

    def test_out_of_range_values(self):
        for path, value in [("training.microBatch", 0), ("training.gradientAccumulation", -1),
                            ("training.learningRate", 0), ("training.warmupRatio", 1.5),
                            ("training.sequenceLength", 8), ("training.saveSteps", 0),
                            ("training.loggingSteps", 0), ("lora.dropout", 1.0), ("lora.alpha", 0),
                            ("dataset.maxRows", -1), ("maxRuntimeSeconds", -5), ("training.seed", -1),
                            ("jobId", "  "), ("model.id", ""), ("dataset.split", "")]:
            with self.subTest(path=path, value=value):
                job = good_job()
                set_path(job, path, value)
                self.assertTrue(any(p.startswith(path) for p in self.problems(job)))

    def test_schema_other_than_1_is_refused(self):
        job = good_job()
        job["schema"] = 2
        self.assertIn("schema must be 1 (this train.py reads schema 1 only)", self.problems(job))
        with self.assertRaises(train.ConfigError):
            train.validate_job(["not", "an", "object"])

    def test_every_problem_is_reported_at_once(self):
        job = good_job()
        job["method"] = "bogus"
        job["training"]["microBatch"] = 0
        del job["output"]["dir"]
        self.assertEqual(len(self.problems(job)), 3)

    def test_each_format_needs_its_columns(self):
        for fmt, key in [("chat", "messages"), ("instruction", "instruction"), ("instruction", "output"),
                         ("prompt-completion", "prompt"), ("prompt-completion", "completion"), ("text", "text")]:
            with self.subTest(fmt=fmt, key=key):
                job = good_job()
                job["dataset"]["format"] = fmt
                job["dataset"]["columns"] = columns(messages="messages", instruction="instruction",
                                                    output="output", prompt="prompt", completion="completion",
                                                    text="text")
                job["dataset"]["columns"][key] = ""
                self.assertIn(f"dataset.columns.{key} must name a column for format {fmt}", self.problems(job))

    def test_epochs_zero_needs_max_steps(self):
        job = good_job()
        job["training"]["epochs"] = 0
        self.assertIn("training.epochs must be above 0 when training.maxSteps is 0", self.problems(job))
        job["training"]["maxSteps"] = 100
        self.assertEqual(train.validate_job(job)["training"]["maxSteps"], 100)

    def test_full_fine_tune_may_omit_lora(self):
        job = good_job()
        job["method"] = "full"
        del job["lora"]
        self.assertEqual(train.validate_job(job)["method"], "full")

    def test_qlora8_cannot_be_sharded(self):
        job = good_job()
        job["method"], job["parallelism"] = "qlora8", "fsdp"
        self.assertTrue(any("fsdp" in p for p in self.problems(job)))

    def test_hostile_strings_stay_data(self):
        with tempfile.TemporaryDirectory() as tmp:
            marker = Path(tmp) / "pwned"
            hostile = {
                "jobId": "`touch %s`" % marker,
                "model.id": "a/b;rm -rf ~",
                "model.revision": "$(touch %s)" % marker,
                "dataset.id": "x/y && touch %s" % marker,
                "dataset.split": "train[:{0}]%s",
                "dataset.columns.messages": "{__import__('os').system('touch %s')}" % marker,
                "output.hubRepo": "me/model'; touch %s; '" % marker,
                "output.dir": "../../etc/$(whoami)",
                "lora.targets": ["q_proj; touch %s" % marker],
            }
            job_file = Path(tmp) / "job.json"
            raw = good_job()
            for path, value in hostile.items():
                set_path(raw, path, value)
            job_file.write_text(json.dumps(raw), encoding="utf-8")
            job = train.load_job(job_file)
            for path, value in hostile.items():
                node = job
                for key in path.split("."):
                    node = node[key]
                self.assertEqual(node, value)
            name = train.output_dir_name(job["output"]["dir"])
            self.assertNotIn("/", name)
            self.assertFalse(name.startswith("."))
            out = io.StringIO()
            reporter = train.ProgressReporter(job, 1, 1, 1, 10.0, emit_fn=lambda e, **f: out.write(
                train.format_event(e, f, now=0) + "\n"))
            reporter.train_begin(0, 5)
            self.assertEqual(json.loads(out.getvalue()[len(train.PREFIX):])["model"], "a/b;rm -rf ~")
            self.assertFalse(marker.exists())

    def test_load_job_reports_unreadable_or_broken_files(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(train.ConfigError):
                train.load_job(Path(tmp) / "missing.json")
            broken = Path(tmp) / "job.json"
            broken.write_text('{"schema": 1,', encoding="utf-8")
            with self.assertRaises(train.ConfigError) as caught:
                train.load_job(broken)
            self.assertIn("not valid JSON", str(caught.exception))

    def test_job_path_prefers_environment_then_argument_then_script_folder(self):
        self.assertEqual(train.job_path(["train.py", "a.json"], {"VIBEML_JOB": "/x/j.json"}, "/s"),
                         Path("/x/j.json"))
        self.assertEqual(train.job_path(["train.py", "a.json"], {}, "/s"), Path("a.json"))
        self.assertEqual(train.job_path(["train.py"], {}, "/s"), Path("/s/job.json"))


class ScriptHygieneTest(unittest.TestCase):
    def setUp(self):
        self.tree = ast.parse((TRAINING / "train.py").read_text(encoding="utf-8"))

    def test_module_level_imports_are_standard_library(self):
        for node in self.tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                for name in names:
                    self.assertIn(name.split(".")[0], sys.stdlib_module_names, name)
        self.assertNotIn("torch", sys.modules)

    def test_never_runs_strings_as_code_or_shell(self):
        forbidden_calls = {"eval", "exec", "compile", "__import__", "system", "popen", "spawnl", "execv",
                           "execvp", "Popen", "run", "check_output", "call"}
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                for name in names:
                    self.assertNotIn(name.split(".")[0], {"subprocess", "pty", "pickle", "shlex"})
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                receiver = getattr(getattr(func, "value", None), "id", "")
                if name in forbidden_calls and receiver in ("", "os", "subprocess"):
                    self.fail(f"line {node.lineno}: {name}()")
                if name in ("format", "format_map") and not isinstance(getattr(func, "value", None), ast.Constant):
                    self.fail(f"line {node.lineno}: .format on a non-literal")
                for keyword in node.keywords:
                    self.assertNotEqual(keyword.arg, "shell")
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
                self.assertIsInstance(node.left, ast.Constant, f"line {node.lineno}: % on a non-literal")


class OutputDirTest(unittest.TestCase):
    def test_names_are_single_safe_components(self):
        cases = {"outputs": "outputs", "run-1.v2_final": "run-1.v2_final", "": "outputs", ".": "outputs",
                 "..": "outputs", "../../etc/passwd": "etc-passwd", "/abs/path": "abs-path",
                 "my run/1": "my-run-1", "~/x": "x", ".hidden": "hidden", "a\x00b": "a-b", None: "outputs",
                 "x" * 100: "x" * 64}
        for raw, expected in cases.items():
            with self.subTest(raw=raw):
                self.assertEqual(train.output_dir_name(raw), expected)


class ChatFormattingTest(unittest.TestCase):
    CHAT = columns(messages="messages", roleKey="role", contentKey="content")

    def test_ultrachat_row_with_a_chat_template(self):
        row = rows("ultrachat_200k.json")[0]
        segments = train.row_segments(row, "chat", self.CHAT, bracket_template)
        user, answer = row["messages"][0]["content"], row["messages"][1]["content"]
        self.assertEqual(segments, [("<s>[user]" + user + "</t>[assistant]", False), (answer + "</t>", True)])

    def test_multi_turn_trains_every_assistant_turn_only(self):
        convo = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
                 {"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Ciao"},
                 {"role": "user", "content": "trailing question"}]
        segments = train.chat_segments(convo, bracket_template)
        self.assertEqual(segments, [("<s>[user]Hi</t>[assistant]", False), ("Hello</t>", True),
                                    ("[user]Bye</t>[assistant]", False), ("Ciao</t>", True)])
        self.assertEqual("".join(t for t, _ in segments), bracket_template(convo[:4]))

    def test_fallback_template_is_chatml(self):
        convo = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}]
        self.assertEqual(train.fallback_chat_template(convo),
                         "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n")
        self.assertTrue(train.fallback_chat_template(convo, True).endswith("<|im_start|>assistant\n"))
        self.assertIn("<|im_start|>", train.CHATML_TEMPLATE)

    def test_row_without_template_uses_the_fallback(self):
        row = rows("ultrachat_200k.json")[0]
        segments = train.row_segments(row, "chat", self.CHAT)
        self.assertEqual(segments[1], (row["messages"][1]["content"] + "<|im_end|>\n", True))
        self.assertEqual(segments[0][0], "<|im_start|>user\n" + row["messages"][0]["content"]
                         + "<|im_end|>\n<|im_start|>assistant\n")

    def test_sharegpt_keys_and_roles_are_mapped(self):
        row = rows("sharegpt.json")[0]
        cols = columns(messages="conversations", roleKey="from", contentKey="value")
        messages = train.normalise_messages(row["conversations"], "from", "value")
        self.assertEqual([m["role"] for m in messages], ["system", "user", "assistant", "user", "assistant"])
        self.assertEqual(messages[2], {"role": "assistant", "content": "Oslo."})
        # ShareGPT keys are also recognised when the job kept the default role/content keys.
        self.assertEqual(train.normalise_messages(row["conversations"], "role", "content"), messages)
        trained = [t for t, keep in train.row_segments(row, "chat", cols) if keep]
        self.assertEqual(trained, ["Oslo.<|im_end|>\n", "Stockholm.<|im_end|>\n"])

    def test_custom_role_and_content_keys(self):
        convo = [{"speaker": "user", "says": "Hi"}, {"speaker": "assistant", "says": "Hey"}]
        self.assertEqual(train.normalise_messages(convo, "speaker", "says"),
                         [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hey"}])

    def test_unusable_conversations(self):
        bad = {
            "not a list": "hello",
            "empty": [],
            "no assistant": [{"role": "user", "content": "Hi"}],
            "unknown role": [{"role": "narrator", "content": "x"}, {"role": "assistant", "content": "y"}],
            "content not text": [{"role": "user", "content": ["Hi"]}, {"role": "assistant", "content": "y"}],
            "empty answer": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "  "}],
            "message not object": ["Hi", {"role": "assistant", "content": "y"}],
        }
        for label, value in bad.items():
            with self.subTest(label):
                self.assertIsNone(train.normalise_messages(value))
                self.assertIsNone(train.row_segments({"messages": value}, "chat", self.CHAT, bracket_template))

    def test_empty_system_prompt_is_dropped_not_fatal(self):
        convo = [{"role": "system", "content": ""}, {"role": "user", "content": "Hi"},
                 {"role": "assistant", "content": "Hey"}]
        self.assertEqual([m["role"] for m in train.normalise_messages(convo)], ["user", "assistant"])

    def test_template_that_rewrites_history_trains_the_last_turn(self):
        def forgetful(messages, add_generation_prompt=False):
            # Shows earlier assistant turns as "…", like templates that strip old reasoning.
            last = len(messages) - 1
            shown = [m if m["role"] != "assistant" or i == last else dict(m, content="…")
                     for i, m in enumerate(messages)]
            return bracket_template(shown, add_generation_prompt)
        convo = [{"role": "user", "content": "A"}, {"role": "assistant", "content": "B"},
                 {"role": "user", "content": "C"}, {"role": "assistant", "content": "D"}]
        self.assertEqual(train.chat_segments(convo, forgetful),
                         [("<s>[user]A</t>[assistant]…</t>[user]C</t>[assistant]", False), ("D</t>", True)])

    def test_template_errors_skip_the_row(self):
        def no_system(messages, add_generation_prompt=False):
            if any(m["role"] == "system" for m in messages):
                raise ValueError("System role not supported")
            return bracket_template(messages, add_generation_prompt)
        row = rows("sharegpt.json")[0]
        cols = columns(messages="conversations", roleKey="from", contentKey="value")
        self.assertIsNone(train.row_segments(row, "chat", cols, no_system))


class InstructionAndTextFormattingTest(unittest.TestCase):
    ALPACA = columns(instruction="instruction", input="input", output="output")

    def test_alpaca_without_input_matches_the_datasets_own_text(self):
        row = rows("alpaca.json")[0]
        prompt, response = train.row_segments(row, "instruction", self.ALPACA)
        self.assertEqual(prompt, (row["text"][: -len(row["output"])], False))
        self.assertEqual(response, (row["output"], True))
        self.assertNotIn("### Input:", prompt[0])

    def test_alpaca_with_input_matches_the_datasets_own_text(self):
        row = rows("alpaca.json")[1]
        prompt, response = train.row_segments(row, "instruction", self.ALPACA)
        self.assertEqual(prompt[0] + response[0], row["text"])
        self.assertIn("### Input:\nTwitter, Instagram, Telegram\n\n### Response:\n", prompt[0])

    def test_alpaca_without_an_input_column(self):
        row = rows("alpaca.json")[1]
        cols = columns(instruction="instruction", output="output")
        prompt, _ = train.row_segments(row, "instruction", cols)
        self.assertEqual(prompt[0], train.alpaca_prompt("Identify the odd one out."))

    def test_unusable_instruction_rows(self):
        for row in [{"instruction": "", "output": "x"}, {"instruction": "x", "output": None},
                    {"instruction": "x", "input": ["list"], "output": "y"}, {"output": "y"}, "not a row"]:
            with self.subTest(row=row):
                self.assertIsNone(train.row_segments(row, "instruction", self.ALPACA))

    def test_gsm8k_as_prompt_completion(self):
        cols = columns(prompt="question", completion="answer")
        formatted, skipped = train.format_rows(rows("gsm8k.json"), "prompt-completion", cols)
        self.assertEqual(skipped, 0)
        first = rows("gsm8k.json")[0]
        self.assertEqual(formatted[0], [(first["question"], False), (first["answer"], True)])
        self.assertIsNone(train.row_segments({"question": "q", "answer": ""}, "prompt-completion", cols))
        self.assertIsNone(train.row_segments({"question": 3, "answer": "a"}, "prompt-completion", cols))

    def test_text_rows_and_skip_count(self):
        formatted, skipped = train.format_rows(rows("text.json"), "text", columns(text="text"))
        self.assertEqual(formatted, [[("The quick brown fox jumps over the lazy dog.", True)]])
        self.assertEqual(skipped, 3)


class UsableRowsRuleTest(unittest.TestCase):
    def test_half_unusable_is_fine_more_is_not(self):
        train.check_usable(10, 5, "text", columns(text="body"))
        train.check_usable(10, 4, "text", columns(text="body"), too_long=1)
        for total, bad, too_long in [(10, 6, 0), (10, 3, 3), (0, 0, 0), (1, 1, 0), (2, 0, 2)]:
            with self.subTest(total=total, bad=bad, too_long=too_long):
                with self.assertRaises(train.DataError):
                    train.check_usable(total, bad, "text", columns(text="body"), too_long=too_long)

    def test_message_names_the_columns(self):
        cases = [("chat", columns(messages="conversations", roleKey="from", contentKey="value"),
                  "column 'conversations' (role key 'from', content key 'value')"),
                 ("instruction", columns(instruction="instr", input="ctx", output="out"),
                  "columns 'instr', 'ctx', 'out'"),
                 ("prompt-completion", columns(prompt="question", completion="answer"),
                  "columns 'question', 'answer'"),
                 ("text", columns(text="body"), "columns 'body'")]
        for fmt, cols, expected in cases:
            with self.subTest(fmt=fmt):
                with self.assertRaises(train.DataError) as caught:
                    train.check_usable(4, 3, fmt, cols)
                self.assertIn(expected, str(caught.exception))
                self.assertIn("3 of 4 rows", str(caught.exception))

    def test_text_fixture_is_rejected_as_mostly_unusable(self):
        cols = columns(text="text")
        formatted, skipped = train.format_rows(rows("text.json"), "text", cols)
        with self.assertRaises(train.DataError):
            train.check_usable(len(formatted) + skipped, skipped, "text", cols)


class MaskingTest(unittest.TestCase):
    def test_mask_labels(self):
        ids, labels = train.mask_labels([([1, 2, 3], False), ([4, 5], True), ([6], False), ([7, 8], True)])
        self.assertEqual(ids, [1, 2, 3, 4, 5, 6, 7, 8])
        self.assertEqual(labels, [-100, -100, -100, 4, 5, -100, 7, 8])

    def test_prompt_completion_trains_the_completion_and_eos(self):
        ids, labels = train.encode_example([("ab", False), ("cd", True)], char_encode, bos_ids=[1], eos_id=2,
                                           eos_after_trainable=True)
        self.assertEqual(ids, [1, 97, 98, 99, 100, 2])
        self.assertEqual(labels, [-100, -100, -100, 99, 100, 2])

    def test_chat_template_segments_add_nothing(self):
        segments = train.chat_segments([{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
                                       bracket_template)
        ids, labels = train.encode_example(segments, char_encode, eos_id=2)
        self.assertEqual(ids, char_encode("<s>[user]q</t>[assistant]a</t>"))
        prompt_len = len("<s>[user]q</t>[assistant]")
        self.assertEqual(labels, [-100] * prompt_len + char_encode("a</t>"))

    def test_text_is_trained_entirely(self):
        ids, labels = train.encode_example([("hi", True)], char_encode, eos_id=0, eos_after_trainable=True)
        self.assertEqual((ids, labels), ([104, 105, 0], [104, 105, 0]))
        self.assertTrue(train.has_trainable(labels))
        self.assertFalse(train.has_trainable([-100, -100]))


class PackingAndPaddingTest(unittest.TestCase):
    def test_truncate(self):
        self.assertEqual(train.truncate_example([1, 2, 3, 4], [-100, -100, 3, 4], 3), ([1, 2, 3], [-100, -100, 3]))
        self.assertEqual(train.truncate_example([1, 2], [1, 2], 5), ([1, 2], [1, 2]))

    def test_pad_example(self):
        self.assertEqual(train.pad_example([5, 6, 7], [-100, 6, 7], 5, 0),
                         ([5, 6, 7, 0, 0], [-100, 6, 7, -100, -100], [1, 1, 1, 0, 0]))
        with self.assertRaises(ValueError):
            train.pad_example([1, 2, 3], [1, 2, 3], 2, 0)

    def test_pad_batch_rounds_to_eight_and_caps_at_the_sequence_length(self):
        batch = train.pad_batch([([1, 2, 3], [1, 2, 3]), ([4] * 10, [-100] * 5 + [4] * 5)], pad_id=0, max_length=64)
        self.assertEqual([len(x) for x in batch["input_ids"]], [16, 16])
        self.assertEqual(batch["input_ids"][0], [1, 2, 3] + [0] * 13)
        self.assertEqual(batch["labels"][0], [1, 2, 3] + [-100] * 13)
        self.assertEqual(batch["attention_mask"][1], [1] * 10 + [0] * 6)
        capped = train.pad_batch([([9] * 13, [9] * 13)], pad_id=0, max_length=12)
        self.assertEqual(capped["input_ids"], [[9] * 12])
        self.assertEqual(capped["attention_mask"], [[1] * 12])

    def test_pack_with_eos_separators(self):
        examples = [([1, 2, 3], [-100, 2, 3]), ([4, 5], [-100, -100]), ([6, 7, 8, 9], [-100, -100, 8, 9])]
        blocks = train.pack_examples(examples, block_size=4, eos_id=0)
        # The added EOS separators are not trained; [4, 5, 0, 6] holds no trained token and is dropped.
        self.assertEqual(blocks, [([1, 2, 3, 0], [-100, 2, 3, -100]), ([7, 8, 9, 0], [-100, 8, 9, -100])])

    def test_pack_keeps_a_short_last_block_and_existing_eos(self):
        blocks = train.pack_examples([([1, 2, 0], [1, 2, 0]), ([3], [3])], block_size=3, eos_id=0)
        self.assertEqual(blocks, [([1, 2, 0], [1, 2, 0]), ([3, 0], [3, -100])])

    def test_pack_splits_long_examples_across_blocks(self):
        ids = list(range(1, 11))
        blocks = train.pack_examples([(ids, ids)], block_size=4, eos_id=99)
        self.assertEqual([b[0] for b in blocks], [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 99]])
        self.assertEqual(blocks[-1][1], [9, 10, -100])
        self.assertEqual(sum(len(b[0]) for b in blocks), 11)


class ProgressLineTest(unittest.TestCase):
    SAMPLE = {
        "start": {"model": "m", "dataset": "d", "method": "lora", "totalSteps": 10, "gpus": 8, "nodes": 1,
                  "rows": 100, "resumedFromStep": 0},
        "progress": {"step": 1, "totalSteps": 10, "loss": 1.5, "learningRate": 2e-4, "epoch": 0.1,
                     "tokensPerSecond": 1000.0, "etaSeconds": 90, "gpuMemoryGB": 12.5},
        "eval": {"step": 5, "evalLoss": 1.2},
        "checkpoint": {"step": 5, "path": "outputs/checkpoints/checkpoint-5"},
        "done": {"outputDir": "outputs/final", "hubRepo": "", "hubUrl": "", "steps": 10, "finalLoss": 0.9,
                 "stoppedEarly": False},
        "error": {"kind": "oom", "message": "out of memory"},
    }

    def parse(self, line):
        self.assertTrue(line.startswith("@@VIBEML@@ "))
        self.assertNotIn("\n", line)
        return json.loads(line[len("@@VIBEML@@ "):])

    def test_every_event_carries_its_fields(self):
        self.assertEqual(set(self.SAMPLE), set(train.EVENT_FIELDS))
        for event, fields in self.SAMPLE.items():
            with self.subTest(event=event):
                payload = self.parse(train.format_event(event, fields, now=1700000000.7))
                self.assertEqual(payload["event"], event)
                self.assertEqual(payload["time"], 1700000000)
                self.assertIsInstance(payload["time"], int)
                self.assertEqual(set(payload), {"event", "time"} | set(train.EVENT_FIELDS[event]))
                for field in train.EVENT_FIELDS[event]:
                    missing = dict(fields)
                    del missing[field]
                    with self.assertRaises(ValueError):
                        train.format_event(event, missing)

    def test_nan_and_infinity_become_null(self):
        fields = dict(self.SAMPLE["progress"], loss=float("nan"), tokensPerSecond=float("inf"),
                      learningRate=float("-inf"))
        line = train.format_event("progress", fields, now=0)
        for word in ("NaN", "Infinity"):
            self.assertNotIn(word, line)
        payload = self.parse(line)
        self.assertIsNone(payload["loss"])
        self.assertIsNone(payload["tokensPerSecond"])
        self.assertIsNone(payload["learningRate"])

    def test_unknown_events_and_error_kinds_are_refused(self):
        with self.assertRaises(ValueError):
            train.format_event("finished", {})
        with self.assertRaises(ValueError):
            train.format_event("error", {"kind": "disk", "message": "full"})

    def test_only_rank_zero_prints(self):
        for env, expected in [({}, True), ({"RANK": "0"}, True), ({"RANK": "3"}, False)]:
            with self.subTest(env=env), mock.patch.dict(os.environ, env, clear=False):
                if "RANK" not in env:
                    os.environ.pop("RANK", None)
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    train.emit("error", kind="runtime", message="x")
                self.assertEqual(bool(out.getvalue()), expected)

    def test_reporter_computes_rate_and_eta(self):
        now = [1000.0]
        lines = []
        job = train.validate_job(good_job())
        reporter = train.ProgressReporter(job, rows=500, gpus=8, nodes=1, tokens_per_step=16384.0,
                                          emit_fn=lambda e, **f: lines.append(self.parse(train.format_event(e, f))),
                                          clock=lambda: now[0])
        reporter.train_begin(step=200, total_steps=1000)
        now[0] = 1100.0
        reporter.log(210, 1000, {"loss": 1.23456, "learning_rate": 1.9e-4, "epoch": 0.21049}, 30.123)
        reporter.log(210, 1000, {"train_loss": 1.1, "train_runtime": 100.0}, 30.2)  # summary: no line
        reporter.checkpoint(400, Path("outputs/checkpoints/checkpoint-400"))
        start, progress, checkpoint = lines
        self.assertEqual(start["resumedFromStep"], 200)
        self.assertEqual((start["model"], start["dataset"]),
                         ("Qwen/Qwen2.5-0.5B-Instruct", "HuggingFaceH4/ultrachat_200k"))
        self.assertEqual((start["gpus"], start["nodes"], start["rows"], start["totalSteps"]), (8, 1, 500, 1000))
        self.assertEqual(progress["loss"], 1.2346)
        self.assertEqual(progress["epoch"], 0.21)
        self.assertEqual(progress["tokensPerSecond"], 1638.4)  # 10 steps × 16384 tokens / 100 s
        self.assertEqual(progress["etaSeconds"], 7900)         # 790 steps at 0.1 step/s
        self.assertEqual(progress["gpuMemoryGB"], 30.12)
        self.assertEqual(checkpoint, {"event": "checkpoint", "time": checkpoint["time"], "step": 400,
                                      "path": "outputs/checkpoints/checkpoint-400"})
        self.assertEqual(reporter.last_loss, 1.23456)

    def test_reporter_nan_loss_and_unknown_memory(self):
        lines = []
        reporter = train.ProgressReporter(train.validate_job(good_job()), 1, 1, 1, 10.0,
                                          emit_fn=lambda e, **f: lines.append(train.format_event(e, f)),
                                          clock=lambda: 5.0)
        reporter.train_begin(0, 10)
        reporter.log(0, 10, {"loss": float("nan"), "learning_rate": 0.0, "epoch": 0.0}, None)
        payload = json.loads(lines[-1][len(train.PREFIX):])
        self.assertIsNone(payload["loss"])
        self.assertIsNone(payload["gpuMemoryGB"])
        self.assertIsNone(payload["etaSeconds"])


class RuntimeAndWorldTest(unittest.TestCase):
    def test_margin_is_five_percent_capped_at_ten_minutes(self):
        self.assertEqual(train.runtime_margin(21600), 600.0)
        self.assertEqual(train.runtime_margin(3600), 180.0)
        self.assertEqual(train.runtime_margin(12000), 600.0)
        self.assertEqual(train.runtime_deadline(1000.0, 21600), 1000.0 + 21000.0)
        self.assertEqual(train.runtime_deadline(0.0, 600), 570.0)
        self.assertIsNone(train.runtime_deadline(1000.0, 0))

    def test_world_from_torchrun_environment(self):
        self.assertEqual(train.world_from_env({}), {"gpus": 1, "nodes": 1, "rank": 0, "localRank": 0})
        env = {"WORLD_SIZE": "16", "LOCAL_WORLD_SIZE": "8", "RANK": "9", "LOCAL_RANK": "1"}
        self.assertEqual(train.world_from_env(env), {"gpus": 16, "nodes": 2, "rank": 9, "localRank": 1})
        self.assertEqual(train.world_from_env({"WORLD_SIZE": "garbage"})["gpus"], 1)

    def test_resume_picks_the_newest_complete_checkpoint(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assertIsNone(train.pick_resume_checkpoint(Path(tmp) / "absent"))
            self.assertIsNone(train.pick_resume_checkpoint(tmp))
            for name, complete in [("checkpoint-200", True), ("checkpoint-1000", True),
                                   ("checkpoint-1200", False), ("checkpoint-x", True), ("runs", True)]:
                (Path(tmp) / name).mkdir()
                if complete:
                    (Path(tmp) / name / "trainer_state.json").write_text("{}", encoding="utf-8")
            self.assertEqual(train.pick_resume_checkpoint(tmp), Path(tmp) / "checkpoint-1000")


class PlanTest(unittest.TestCase):
    WORLD1 = {"gpus": 1, "nodes": 1, "rank": 0, "localRank": 0}
    WORLD8 = {"gpus": 8, "nodes": 1, "rank": 3, "localRank": 3}

    def job(self, **changes):
        raw = good_job()
        for path, value in changes.items():
            set_path(raw, path.replace("__", "."), value)
        return train.validate_job(raw)

    def test_training_arguments_single_gpu(self):
        args = train.training_arguments(self.job(), Path("outputs/checkpoints"), self.WORLD1)
        self.assertEqual(args["output_dir"], "outputs/checkpoints")
        self.assertEqual((args["max_steps"], args["num_train_epochs"]), (-1, 1.0))
        self.assertEqual((args["save_steps"], args["save_total_limit"], args["logging_steps"]), (200, 2, 10))
        self.assertTrue(args["bf16"])
        self.assertTrue(args["gradient_checkpointing"])
        self.assertEqual(args["report_to"], "none")
        self.assertEqual(args["lr_scheduler_type"], "cosine")
        self.assertNotIn("fsdp", args)
        self.assertNotIn("ddp_find_unused_parameters", args)

    def test_training_arguments_max_steps_ddp_and_wandb(self):
        args = train.training_arguments(self.job(training__maxSteps=500, reportTo="wandb"), "c", self.WORLD8)
        self.assertEqual(args["max_steps"], 500)
        self.assertEqual(args["report_to"], ["wandb"])
        self.assertFalse(args["ddp_find_unused_parameters"])

    def test_training_arguments_fsdp(self):
        args = train.training_arguments(self.job(parallelism="fsdp"), "c", self.WORLD8, ["Qwen2DecoderLayer"])
        self.assertEqual(args["fsdp"], "full_shard auto_wrap")
        self.assertFalse(args["gradient_checkpointing"])  # FSDP checkpoints activations itself
        config = args["fsdp_config"]
        self.assertTrue(config["activation_checkpointing"])
        self.assertEqual(config["transformer_layer_cls_to_wrap"], ["Qwen2DecoderLayer"])
        self.assertTrue(config["use_orig_params"])
        full = train.training_arguments(self.job(parallelism="fsdp", method="full"), "c", self.WORLD8, ["X"])
        self.assertFalse(full["fsdp_config"]["use_orig_params"])

    def test_fsdp_on_one_gpu_trains_as_single(self):
        job = self.job(parallelism="fsdp", method="qlora4")
        self.assertFalse(train.sharded(job, self.WORLD1))
        self.assertTrue(train.sharded(job, self.WORLD8))
        args = train.training_arguments(job, "c", self.WORLD1)
        self.assertNotIn("fsdp", args)
        self.assertTrue(args["gradient_checkpointing"])
        plan = train.model_plan(job, self.WORLD1)
        self.assertEqual((plan["deviceMap"], plan["prepareKbit"], plan["quantStorageBf16"]), ({"": 0}, True, False))

    def test_model_plans(self):
        plans = {m: train.model_plan(self.job(method=m), self.WORLD8) for m in train.METHODS}
        self.assertEqual(plans["full"]["dtype"], "float32")
        self.assertEqual(plans["full-bf16"]["dtype"], "bfloat16")
        self.assertEqual(plans["lora"], {"dtype": "bfloat16", "quantisation": None, "quantStorageBf16": False,
                                         "deviceMap": None, "prepareKbit": False, "adapter": True})
        self.assertEqual(plans["qlora4"]["quantisation"], "nf4")
        self.assertEqual(plans["qlora4"]["deviceMap"], {"": 3})
        self.assertTrue(plans["qlora4"]["prepareKbit"])
        self.assertEqual(plans["qlora8"]["quantisation"], "int8")
        self.assertFalse(plans["full"]["adapter"])
        sharded = train.model_plan(self.job(method="qlora4", parallelism="fsdp"), self.WORLD8)
        self.assertTrue(sharded["quantStorageBf16"])
        self.assertIsNone(sharded["deviceMap"])
        self.assertFalse(sharded["prepareKbit"])

    def test_lora_arguments(self):
        args = train.lora_arguments(self.job())
        self.assertEqual((args["r"], args["lora_alpha"], args["lora_dropout"]), (16, 32, 0.05))
        self.assertEqual(args["target_modules"][-1], "down_proj")
        self.assertEqual(args["task_type"], "CAUSAL_LM")
        self.assertEqual(train.lora_arguments(self.job(lora__targets=[]))["target_modules"], "all-linear")

    def test_wrap_classes_prefer_decoder_layers(self):
        self.assertEqual(train.pick_wrap_classes(["LlamaDecoderLayer"]), ["LlamaDecoderLayer"])
        self.assertEqual(train.pick_wrap_classes(["SiglipVisionEmbeddings", "Gemma3DecoderLayer"]),
                         ["Gemma3DecoderLayer"])
        self.assertEqual(train.pick_wrap_classes(["GPT2Block", "GPT2Block"]), ["GPT2Block"])
        self.assertEqual(train.pick_wrap_classes(None), [])


class ErrorClassificationTest(unittest.TestCase):
    def test_kinds(self):
        class OutOfMemoryError(RuntimeError):
            pass

        class GatedRepoError(Exception):
            pass

        class HfHubHTTPError(Exception):
            def __init__(self, status):
                super().__init__("Forbidden")
                self.response = type("Response", (), {"status_code": status})()

        def wrapped(inner, outer):
            try:
                raise inner
            except Exception as e:
                try:
                    raise outer from e
                except Exception as final:
                    return final

        cases = [
            (OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB"), "oom", 5),
            (RuntimeError("CUDA error: out of memory"), "oom", 5),
            (wrapped(GatedRepoError("Access to model is restricted"), OSError("cannot load")), "auth", 4),
            (HfHubHTTPError(403), "auth", 4),
            (OSError("401 Client Error: Unauthorized for url"), "auth", 4),
            (train.DataError("3 of 4 rows could not be used"), "data", 3),
            (train.ConfigError("FSDP could not find"), "config", 2),
            (ValueError("boom"), "runtime", 1),
        ]
        for exc, kind, code in cases:
            with self.subTest(exc=repr(exc)):
                got_kind, message, got_code = train.classify_error(exc)
                self.assertEqual((got_kind, got_code), (kind, code))
                self.assertTrue(message)
        self.assertIn("microBatch", train.classify_error(cases[0][0])[1])
        self.assertIn("HF_TOKEN", train.classify_error(cases[3][0])[1])
        self.assertEqual(train.classify_error(ValueError("boom"))[1], "ValueError: boom")


class MainTest(unittest.TestCase):
    def run_main(self, job):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "job.json"
            path.write_text(json.dumps(job), encoding="utf-8")
            out, err = io.StringIO(), io.StringIO()
            with mock.patch.dict(os.environ, {"VIBEML_JOB": str(path), "RANK": "0"}), \
                    contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = train.main(["train.py"])
            lines = [line for line in out.getvalue().splitlines() if line.startswith(train.PREFIX)]
            return code, [json.loads(line[len(train.PREFIX):]) for line in lines]

    def test_bad_job_is_a_config_error_with_exit_code_2(self):
        job = good_job()
        job["method"] = "dora"
        code, events = self.run_main(job)
        self.assertEqual(code, 2)
        self.assertEqual(len(events), 1)
        self.assertEqual((events[0]["event"], events[0]["kind"]), ("error", "config"))
        self.assertIn("method must be one of", events[0]["message"])

    @unittest.skipIf(__import__("importlib").util.find_spec("torch") is not None, "torch is installed here")
    def test_missing_packages_are_a_runtime_error(self):
        code, events = self.run_main(good_job())
        self.assertEqual(code, 1)
        self.assertEqual(events[-1]["kind"], "runtime")
        self.assertIn("torch", events[-1]["message"])


class RunShTest(unittest.TestCase):
    HOSTILE = {"model": {"id": "a/b;rm -rf ~"}, "output": {"dir": "$(reboot)"}, "jobId": "--nnodes=99"}

    def run_sh(self, env, venv=False):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            (tmp / "run.sh").write_text((TRAINING / "run.sh").read_text(encoding="utf-8"), encoding="utf-8")
            (tmp / "job.json").write_text(json.dumps(self.HOSTILE), encoding="utf-8")
            stubs = tmp / "stubs"
            stubs.mkdir()
            stub = '#!/bin/sh\nprintf "%s\\n" "{name}" "$@"\n'
            for name in ("torchrun", "python3", "python"):
                (stubs / name).write_text(stub.format(name=name), encoding="utf-8")
                (stubs / name).chmod(stat.S_IRWXU)
            if venv:
                bin_dir = tmp / "home" / "vibeml-venv" / "bin"
                bin_dir.mkdir(parents=True)
                (bin_dir / "python3").write_text(stub.format(name="venv-python3"), encoding="utf-8")
                (bin_dir / "python3").chmod(stat.S_IRWXU)
            full_env = {"PATH": f"{stubs}:/usr/bin:/bin", "HOME": str(tmp / "home")}
            full_env.update(env)
            done = subprocess.run(["bash", str(tmp / "run.sh")], env=full_env, cwd=str(tmp),
                                  capture_output=True, text=True, timeout=30)
            return done.returncode, done.stdout.splitlines(), done.stderr

    def assert_no_job_content(self, argv):
        text = " ".join(argv)
        for value in ("a/b;rm -rf ~", "$(reboot)", "--nnodes=99"):
            self.assertNotIn(value, text)

    def test_one_node_one_gpu_runs_python_directly(self):
        code, argv, _ = self.run_sh({"SKYPILOT_NUM_NODES": "1", "SKYPILOT_NUM_GPUS_PER_NODE": "1",
                                     "SKYPILOT_NODE_RANK": "0", "SKYPILOT_NODE_IPS": "10.1.0.4"})
        self.assertEqual(code, 0)
        self.assertEqual(argv, ["python3", "train.py", "job.json"])

    def test_one_node_eight_gpus(self):
        code, argv, _ = self.run_sh({"SKYPILOT_NUM_NODES": "1", "SKYPILOT_NUM_GPUS_PER_NODE": "8",
                                     "SKYPILOT_NODE_RANK": "0", "SKYPILOT_NODE_IPS": "10.1.0.4\n"})
        self.assertEqual(code, 0)
        self.assertEqual(argv, ["torchrun", "--nnodes=1", "--nproc_per_node=8", "--node_rank=0",
                                "--master_addr=10.1.0.4", "--master_port=8008", "train.py", "job.json"])
        self.assert_no_job_content(argv)

    def test_two_nodes_eight_gpus_master_is_the_first_ip(self):
        for rank in ("0", "1"):
            with self.subTest(rank=rank):
                code, argv, _ = self.run_sh({"SKYPILOT_NUM_NODES": "2", "SKYPILOT_NUM_GPUS_PER_NODE": "8",
                                             "SKYPILOT_NODE_RANK": rank,
                                             "SKYPILOT_NODE_IPS": "10.1.0.4\n10.1.0.5"})
                self.assertEqual(code, 0)
                self.assertEqual(argv, ["torchrun", "--nnodes=2", "--nproc_per_node=8", f"--node_rank={rank}",
                                        "--master_addr=10.1.0.4", "--master_port=8008", "train.py", "job.json"])
                self.assert_no_job_content(argv)

    def test_without_skypilot_variables_it_is_one_gpu(self):
        code, argv, _ = self.run_sh({})
        self.assertEqual((code, argv), (0, ["python3", "train.py", "job.json"]))

    def test_the_task_virtual_environment_comes_first(self):
        code, argv, _ = self.run_sh({}, venv=True)
        self.assertEqual((code, argv[0]), (0, "venv-python3"))

    def test_malformed_variables_stop_before_launching(self):
        for env in [{"SKYPILOT_NUM_NODES": "two"}, {"SKYPILOT_NUM_GPUS_PER_NODE": "8; reboot"},
                    {"SKYPILOT_NUM_NODES": "2", "SKYPILOT_NODE_RANK": "2"}, {"SKYPILOT_NUM_NODES": "0"},
                    {"SKYPILOT_NUM_NODES": "2", "SKYPILOT_NODE_IPS": "$(reboot)\n10.0.0.2"}]:
            with self.subTest(env=env):
                code, argv, err = self.run_sh(env)
                self.assertEqual(code, 2)
                self.assertEqual(argv, [])
                self.assertIn("run.sh:", err)

    def test_job_json_is_only_ever_a_literal_argument(self):
        for line in (TRAINING / "run.sh").read_text(encoding="utf-8").splitlines():
            code = line.split("#", 1)[0]
            if "job.json" in code:
                self.assertRegex(code.strip(), r"^(exec python3 )?train\.py job\.json$")


if __name__ == "__main__":
    unittest.main()
