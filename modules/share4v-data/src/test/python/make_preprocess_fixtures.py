"""Fixtures for io.share4v.data.text.SamplePreprocessor: the reference's preprocessing, re-stated.

Run from anywhere with Debian's interpreter:

    /usr/bin/python3 modules/share4v-data/src/test/python/make_preprocess_fixtures.py

It writes, under src/test/resources/preprocess/, one input file per case (a LLaVA JSON array) and one
expected file (JSON lines, input order): {"id", "input_ids", "labels", "mismatch"} for samples, or
{"id", "rejected": REASON} where the reference would crash (or where our documented policy rejects).

Everything between the two "REFERENCE" rulers re-states ShareGPT4V's code (share4v/conversation.py,
share4v/mm_utils.py, share4v/train/train.py at InternLM-XComposer 0f70c3e; the same as LLaVA-1.5 before its
2024-01 tokenizer fix) as literally as possible, with python lists in place of torch tensors (list slice
assignment has the tensors' semantics for the non-negative bounds used here). The tokenizer is the
transformers-4.31 slow LlamaTokenizer re-statement in llama_tokenizer_431.py, with pad = unk as train.py sets.
Below the second ruler is OUR policy layer: how crashes map to reject reasons, and the two extra rejections
(see POLICY notes), which the Java side must match.
"""
import copy
import json
import os
import random
import sys
from enum import Enum, auto

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from llama_tokenizer_431 import Llama431Tokenizer  # noqa: E402

RESOURCES = os.path.join(HERE, "..", "resources")
OUT_DIR = os.path.join(RESOURCES, "preprocess")

# ===================================================================== REFERENCE (re-stated) =============
IGNORE_INDEX = -100
IMAGE_TOKEN_INDEX = -200
DEFAULT_IMAGE_TOKEN = "<image>"


class SeparatorStyle(Enum):
    SINGLE = auto()
    TWO = auto()
    PLAIN = auto()
    LLAMA_2 = auto()


class Conversation:
    def __init__(self, system, roles, messages, offset, sep_style=SeparatorStyle.SINGLE, sep="###",
                 sep2=None, version="Unknown"):
        self.system, self.roles, self.messages, self.offset = system, roles, list(messages), offset
        self.sep_style, self.sep, self.sep2, self.version = sep_style, sep, sep2, version

    def get_prompt(self):
        messages = self.messages
        if len(messages) > 0 and type(messages[0][1]) is tuple:
            messages = self.messages.copy()
            init_role, init_msg = messages[0].copy()
            init_msg = init_msg[0].replace("<image>", "").strip()
            if 'mmtag' in self.version:
                messages[0] = (init_role, init_msg)
                messages.insert(0, (self.roles[0], "<Image><image></Image>"))
                messages.insert(1, (self.roles[1], "Received."))
            else:
                messages[0] = (init_role, "<image>\n" + init_msg)
        if self.sep_style == SeparatorStyle.SINGLE:
            ret = self.system + self.sep
            for role, message in messages:
                if message:
                    if type(message) is tuple:
                        message, _, _ = message
                    ret += role + ": " + message + self.sep
                else:
                    ret += role + ":"
        elif self.sep_style == SeparatorStyle.TWO:
            seps = [self.sep, self.sep2]
            ret = self.system + seps[0]
            for i, (role, message) in enumerate(messages):
                if message:
                    if type(message) is tuple:
                        message, _, _ = message
                    ret += role + ": " + message + seps[i % 2]
                else:
                    ret += role + ":"
        elif self.sep_style == SeparatorStyle.LLAMA_2:
            def wrap_sys(msg): return f"<<SYS>>\n{msg}\n<</SYS>>\n\n"
            def wrap_inst(msg): return f"[INST] {msg} [/INST]"
            ret = ""
            for i, (role, message) in enumerate(messages):
                if i == 0:
                    assert message, "first message should not be none"
                    assert role == self.roles[0], "first message should come from user"
                if message:
                    if type(message) is tuple:
                        message, _, _ = message
                    if i == 0:
                        message = wrap_sys(self.system) + message
                    if i % 2 == 0:
                        message = wrap_inst(message)
                        ret += self.sep + message
                    else:
                        ret += " " + message + " " + self.sep2
                else:
                    ret += ""
            ret = ret.lstrip(self.sep)
        elif self.sep_style == SeparatorStyle.PLAIN:
            seps = [self.sep, self.sep2]
            ret = self.system
            for i, (role, message) in enumerate(messages):
                if message:
                    if type(message) is tuple:
                        message, _, _ = message
                    ret += message + seps[i % 2]
                else:
                    ret += ""
        else:
            raise ValueError(f"Invalid style: {self.sep_style}")
        return ret

    def append_message(self, role, message):
        self.messages.append([role, message])

    def copy(self):
        return Conversation(self.system, self.roles, [[x, y] for x, y in self.messages], self.offset,
                            self.sep_style, self.sep, self.sep2, self.version)


conv_vicuna_v1 = Conversation(
    system="A chat between a curious user and an artificial intelligence assistant. "
    "The assistant gives helpful, detailed, and polite answers to the user's questions.",
    roles=("USER", "ASSISTANT"), version="v1", messages=(), offset=0,
    sep_style=SeparatorStyle.TWO, sep=" ", sep2="</s>")
conv_llama_2 = Conversation(
    system="""You are a helpful, respectful and honest assistant. Always answer as helpfully as possible, while being safe.  Your answers should not include any harmful, unethical, racist, sexist, toxic, dangerous, or illegal content. Please ensure that your responses are socially unbiased and positive in nature.

If a question does not make any sense, or is not factually coherent, explain why instead of answering something not correct. If you don't know the answer to a question, please don't share false information.""",
    roles=("USER", "ASSISTANT"), version="llama_v2", messages=(), offset=0,
    sep_style=SeparatorStyle.LLAMA_2, sep="<s>", sep2="</s>")
conv_share4v_plain = Conversation(system="", roles=("", ""), messages=(), offset=0,
                                  sep_style=SeparatorStyle.PLAIN, sep="\n")
conv_share4v_v1 = Conversation(
    system="A chat between a curious human and an artificial intelligence assistant. "
    "The assistant gives helpful, detailed, and polite answers to the human's questions.",
    roles=("USER", "ASSISTANT"), version="v1", messages=(), offset=0,
    sep_style=SeparatorStyle.TWO, sep=" ", sep2="</s>")
conv_share4v_v1_mmtag = Conversation(
    system="A chat between a curious user and an artificial intelligence assistant. "
    "The assistant is able to understand the visual content that the user provides, and assist the user with a variety of tasks using natural language."
    "The visual content will be provided with the following format: <Image>visual content</Image>.",
    roles=("USER", "ASSISTANT"), messages=(), offset=0,
    sep_style=SeparatorStyle.TWO, sep=" ", sep2="</s>", version="v1_mmtag")
conv_templates = {"v1": conv_vicuna_v1, "llama_2": conv_llama_2, "plain": conv_share4v_plain,
                  "share4v_v1": conv_share4v_v1, "v1_mmtag": conv_share4v_v1_mmtag}


class Ctx:
    """The module globals the reference reads: conversation_lib.default_conversation and data_args."""
    default_conversation = conv_vicuna_v1
    is_multimodal = True
    mm_use_im_start_end = False


class Tokenized:
    def __init__(self, input_ids):
        self.input_ids = input_ids


class HFTokenizer:
    """The slice of the HF tokenizer call the reference uses, over the 4.31 re-statement (one text at a time)."""

    def __init__(self, tok, model_max_length):
        self.tok = tok
        self.model_max_length = model_max_length
        self.bos_token_id = tok.bos_id()
        self.pad_token_id = tok.unk_id()  # train.py: tokenizer.pad_token = tokenizer.unk_token

    def __call__(self, text, max_length=None, truncation=False, **unused):
        ids = self.tok.encode(text)
        if truncation:
            # truncation=True is 'longest_first'; one sequence, right side, specials counted in max_length.
            ids = ids[:max_length]
        return Tokenized(ids)


def tokenizer_image_token(prompt, tokenizer, image_token_index=IMAGE_TOKEN_INDEX, return_tensors=None):
    prompt_chunks = [tokenizer(chunk).input_ids for chunk in prompt.split('<image>')]

    def insert_separator(X, sep):
        return [ele for sublist in zip(X, [sep] * len(X)) for ele in sublist][:-1]

    input_ids = []
    offset = 0
    if len(prompt_chunks) > 0 and len(prompt_chunks[0]) > 0 and prompt_chunks[0][0] == tokenizer.bos_token_id:
        offset = 1
        input_ids.append(prompt_chunks[0][0])
    for x in insert_separator(prompt_chunks, [image_token_index] * (offset + 1)):
        input_ids.extend(x[offset:])
    return input_ids


def preprocess_multimodal(sources):
    if not Ctx.is_multimodal:
        return sources
    for source in sources:
        for sentence in source:
            if DEFAULT_IMAGE_TOKEN in sentence['value']:
                sentence['value'] = sentence['value'].replace(DEFAULT_IMAGE_TOKEN, '').strip()
                sentence['value'] = DEFAULT_IMAGE_TOKEN + '\n' + sentence['value']
                sentence['value'] = sentence['value'].strip()
                if "mmtag" in Ctx.default_conversation.version:
                    sentence['value'] = sentence['value'].replace(
                        DEFAULT_IMAGE_TOKEN, '<Image>' + DEFAULT_IMAGE_TOKEN + '</Image>')
            replace_token = DEFAULT_IMAGE_TOKEN
            if Ctx.mm_use_im_start_end:
                replace_token = "<im_start>" + replace_token + "<im_end>"
            sentence["value"] = sentence["value"].replace(DEFAULT_IMAGE_TOKEN, replace_token)
    return sources


def set_ignore(target, start, stop=None):
    """target[start:stop] = IGNORE_INDEX on a python list (same semantics as on the reference's tensor)."""
    n = len(target[start:stop])
    target[start:stop] = [IGNORE_INDEX] * n


def preprocess_rounds(sources, tokenizer, has_image, sep):
    """preprocess_v1 (sep = conv.sep + conv.roles[1] + ": ") and preprocess_llama_2 (sep = "[/INST] ")."""
    conv = Ctx.default_conversation.copy()
    roles = {"human": conv.roles[0], "gpt": conv.roles[1]}
    conversations = []
    for i, source in enumerate(sources):
        if roles[source[0]["from"]] != conv.roles[0]:
            source = source[1:]
        conv.messages = []
        for j, sentence in enumerate(source):
            role = roles[sentence["from"]]
            assert role == conv.roles[j % 2], f"{i}"
            conv.append_message(role, sentence["value"])
        conversations.append(conv.get_prompt())
    if has_image:
        input_ids = [tokenizer_image_token(prompt, tokenizer) for prompt in conversations]
    else:
        input_ids = [tokenizer(prompt, return_tensors="pt", padding="longest",
                               max_length=tokenizer.model_max_length, truncation=True).input_ids
                     for prompt in conversations]
    targets = [list(x) for x in input_ids]
    mismatches = []
    for conversation, target in zip(conversations, targets):
        total_len = sum(1 for t in target if t != tokenizer.pad_token_id)
        rounds = conversation.split(conv.sep2)
        cur_len = 1
        set_ignore(target, 0, cur_len)
        for i, rou in enumerate(rounds):
            if rou == "":
                break
            parts = rou.split(sep)
            if len(parts) != 2:
                break
            parts[0] += sep
            if has_image:
                round_len = len(tokenizer_image_token(rou, tokenizer))
                instruction_len = len(tokenizer_image_token(parts[0], tokenizer)) - 2
            else:
                round_len = len(tokenizer(rou).input_ids)
                instruction_len = len(tokenizer(parts[0]).input_ids) - 2
            set_ignore(target, cur_len, cur_len + instruction_len)
            cur_len += round_len
        set_ignore(target, cur_len)
        mismatch = False
        if cur_len < tokenizer.model_max_length:
            if cur_len != total_len:
                set_ignore(target, 0)
                mismatch = True  # the reference prints "WARNING: tokenization mismatch: ... (ignored)"
        mismatches.append(mismatch)
    return dict(input_ids=input_ids, labels=targets, mismatch=mismatches, conversations=conversations)


def preprocess_plain(sources, tokenizer):
    conversations = []
    for source in sources:
        assert len(source) == 2
        assert DEFAULT_IMAGE_TOKEN in source[0]['value']
        source[0]['value'] = DEFAULT_IMAGE_TOKEN
        conversation = source[0]['value'] + source[1]['value'] + Ctx.default_conversation.sep
        conversations.append(conversation)
    input_ids = [tokenizer_image_token(prompt, tokenizer) for prompt in conversations]
    targets = copy.deepcopy(input_ids)
    for target, source in zip(targets, sources):
        tokenized_len = len(tokenizer_image_token(source[0]['value'], tokenizer))
        set_ignore(target, 0, tokenized_len)
    return dict(input_ids=input_ids, labels=targets, mismatch=[False] * len(sources))


def preprocess(sources, tokenizer, has_image=False):
    conv = Ctx.default_conversation
    if conv.sep_style == SeparatorStyle.PLAIN:
        return preprocess_plain(sources, tokenizer)
    if conv.sep_style == SeparatorStyle.LLAMA_2:
        return preprocess_rounds(sources, tokenizer, has_image, "[/INST] ")
    if conv.version.startswith("v1"):
        return preprocess_rounds(sources, tokenizer, has_image, conv.sep + conv.roles[1] + ": ")
    raise NotImplementedError("generic ### preprocessing is not part of these fixtures")


def get_item(sample, tokenizer):
    """LazySupervisedDataset.__getitem__ (text part) followed by the collator's truncation, for one sample."""
    sources = [sample]
    if 'image' in sources[0]:
        sources = preprocess_multimodal(copy.deepcopy([e["conversations"] for e in sources]))
    else:
        sources = copy.deepcopy([e["conversations"] for e in sources])
    data_dict = preprocess(sources, tokenizer, has_image=('image' in sample))
    input_ids, labels = data_dict["input_ids"][0], data_dict["labels"][0]
    # DataCollatorForSupervisedDataset: pad (a batch of one pads nothing), then truncate both.
    input_ids = input_ids[:tokenizer.model_max_length]
    labels = labels[:tokenizer.model_max_length]
    return input_ids, labels, data_dict["mismatch"][0], data_dict.get("conversations", [None])[0]

# ===================================================================== REFERENCE ends ====================
# OUR POLICY: which reject reason each reference failure maps to, plus two deliberate rejections.


def expected_for(sample, tokenizer):
    convs = sample.get("conversations")
    if not convs:
        return {"rejected": "EMPTY_CONVERSATION"}  # reference: IndexError on source[0]
    style = Ctx.default_conversation.sep_style
    if style == SeparatorStyle.PLAIN:
        if "image" not in sample:
            # POLICY: the reference would train a caption against the all-zero stand-in image.
            return {"rejected": "PLAIN_NOT_CAPTION_PAIR"}
        try:
            ids, labels, mismatch, _ = get_item(sample, tokenizer)
        except AssertionError:
            return {"rejected": "PLAIN_NOT_CAPTION_PAIR"}
    else:
        roles = {"human", "gpt"}
        if any(t["from"] not in roles for t in convs):
            return {"rejected": "BAD_ROLES"}  # reference: KeyError
        rest = convs[1:] if convs[0]["from"] != "human" else convs
        if not rest:
            # POLICY: the reference renders a bare system prompt whose labels are all -100 (a mismatch).
            return {"rejected": "EMPTY_CONVERSATION"}
        try:
            ids, labels, mismatch, _ = get_item(sample, tokenizer)
        except AssertionError as e:
            if "first message" in str(e):
                return {"rejected": "EMPTY_CONVERSATION"}  # llama_2 get_prompt assertion
            return {"rejected": "BAD_ROLES"}  # reference: role alternation assertion
    if ids.count(IMAGE_TOKEN_INDEX) > 1:
        # POLICY: more than one placeholder shifts the batch's image features and ends in an IndexError.
        return {"rejected": "IMAGE_PLACEHOLDER_MISMATCH"}
    return {"input_ids": ids, "labels": labels, "mismatch": mismatch}

# ===================================================================== record generator ==================


WORDS = ("the a of and to in is on with for at by from image photo picture scene man woman child dog cat car "
         "bus train street building tree sky water table chair red blue green yellow white black large small "
         "two three several standing sitting walking holding wearing looking near behind front left right "
         "what where how many why which color does is are there this that describe detail background").split()
UNICODE = ["café", "naïve", "Zürich", "日本語のテキスト", "中文描述图片", "한국어", "Привет мир", "emoji 😀🚌",
           "🇯🇵 flag", "math ∑∫√", "e\u0301 combining", "ß ẞ", "ﬁ ligature", "Ελληνικά", "עברית", "العربية",
           "tab\there", "zero\u200bwidth", "nbsp\u00a0space", "ideographic\u3000space", "▁literal▁underline"]
SPECIALS = ["</s>", "<s>", "<unk>", " ASSISTANT: ", "USER:", "ASSISTANT:", " USER: x ASSISTANT: y",
            "a</s>b", "<s>USER:", "[/INST] ", "<<SYS>>", "<im_patch>", "<Image>", "###"]
VQA_SUFFIXES = ["\nAnswer the question using a single word or phrase.",
                "\nAnswer with the option's letter from the given choices directly.",
                "\nReference OCR token: STOP, 25\nAnswer the question using a single word or phrase.",
                "\nPlease answer yes or no."]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.n = 0

    def words(self, lo, hi):
        return " ".join(self.r.choice(WORDS) for _ in range(self.r.randint(lo, hi)))

    def sentence(self):
        s = self.words(3, 14)
        s = s[0].upper() + s[1:] + self.r.choice([".", "?", "!", ".", "."])
        return s

    def para(self, lo=1, hi=4):
        return " ".join(self.sentence() for _ in range(self.r.randint(lo, hi)))

    def rec(self, convs, image=True, kind="x"):
        self.n += 1
        d = {"id": f"{kind}-{self.n:04d}"}
        if image:
            d["image"] = self.r.choice(["coco/train2017/000000%06d.jpg", "sam/images/sa_%d.jpg",
                                        "llava/llava_pretrain/images/00%d.jpg"]) % self.r.randint(1, 999999)
        d["conversations"] = convs
        return d


def h(v):
    return {"from": "human", "value": v}


def g(v):
    return {"from": "gpt", "value": v}


def v1_records():
    G = Gen(4242)
    R = []
    for _ in range(30):  # image first
        R.append(G.rec([h("<image>\n" + G.sentence()), g(G.para())], kind="img-first"))
    for _ in range(20):  # image after the text
        R.append(G.rec([h(G.sentence() + G.r.choice(["\n<image>", " <image>", "<image>", "\n\n<image>\n"])),
                        g(G.para())], kind="img-after"))
    for _ in range(10):  # image mid text
        s = G.words(2, 6)
        R.append(G.rec([h(s + " <image> " + G.words(2, 6) + "?"), g(G.para(1, 2))], kind="img-mid"))
    for _ in range(30):  # multi-turn with image
        n = G.r.randint(2, 5)
        convs = [h("<image>\n" + G.sentence()), g(G.para())]
        for _ in range(n - 1):
            convs += [h(G.sentence()), g(G.para(1, 3))]
        R.append(G.rec(convs, kind="img-multi"))
    for _ in range(30):  # text-only, 1-4 rounds
        convs = []
        for _ in range(G.r.randint(1, 4)):
            convs += [h(G.para(1, 2)), g(G.para(1, 3))]
        R.append(G.rec(convs, image=False, kind="text"))
    for _ in range(15):  # VQA-style short answers
        convs = [h("<image>\n" + G.sentence() + G.r.choice(VQA_SUFFIXES)), g(G.r.choice(["Yes", "No", "2", "A", "red", "Stop sign"]))]
        for _ in range(G.r.randint(0, 3)):
            convs += [h(G.sentence() + G.r.choice(VQA_SUFFIXES)), g(G.r.choice(["Yes", "No", "3", "B", "blue"]))]
        R.append(G.rec(convs, image=G.r.random() < 0.8, kind="vqa"))
    for sp in SPECIALS:  # literal special strings inside turns (mismatch cases among them)
        R.append(G.rec([h("<image>\n" + G.sentence() + " " + sp + " " + G.words(1, 4)), g(G.para(1, 2))], kind="lit-h"))
        R.append(G.rec([h(G.sentence()), g(G.words(2, 5) + sp + G.words(1, 5)), h(G.sentence()), g("ok")],
                       image=G.r.random() < 0.5, kind="lit-g"))
    for _ in range(6):  # leading gpt turn is dropped
        R.append(G.rec([g(G.para(1, 1)), h("<image>\n" + G.sentence()), g(G.para(1, 2))], image=G.r.random() < 0.7, kind="lead-gpt"))
    R.append(G.rec([g("<image>\nOnly the dropped turn has the image."), h("Question?"), g("Answer.")], kind="lead-gpt-img"))
    R.append(G.rec([g("Only one gpt turn.")], kind="only-gpt"))
    R.append(G.rec([g("x"), g("y")], kind="two-gpt"))
    R.append(G.rec([], kind="empty"))
    R.append(G.rec([], image=False, kind="empty"))
    for convs in ([h("a"), h("b")], [h("<image>\nq"), g("a"), g("b")], [{"from": "system", "value": "s"}, h("q"), g("a")],
                  [h("q"), {"from": "assistant", "value": "a"}], [{"from": "Human", "value": "q"}, g("a")],
                  [h("q"), g("a"), {"from": "bot", "value": "b"}]):
        R.append(G.rec(convs, image=G.r.random() < 0.5, kind="bad-roles"))
    for convs in ([h("<image>\nq"), g("")], [h(""), g("answer")], [h("<image>"), g("answer")],
                  [h("q1"), g(""), h("q2"), g("a2")], [h("<image>\n   "), g("a")], [h("  <image>  "), g("   ")]):
        R.append(G.rec(convs, image=True, kind="empty-val"))
    R.append(G.rec([h(""), g("x")], image=False, kind="empty-val"))
    for _ in range(3):  # odd number of turns (ends with human)
        R.append(G.rec([h("<image>\n" + G.sentence()), g(G.para(1, 1)), h(G.sentence())], image=G.r.random() < 0.5, kind="odd"))
    for u in UNICODE:
        R.append(G.rec([h("<image>\n" + u + " " + G.sentence()), g(u + " " + G.para(1, 1))], image=G.r.random() < 0.6, kind="unicode"))
    for _ in range(4):  # long: some beyond 2048 tokens
        convs = []
        for _ in range(G.r.randint(6, 14)):
            convs += [h(G.para(3, 8)), g(G.para(10, 30))]
        convs[0]["value"] = "<image>\n" + convs[0]["value"]
        R.append(G.rec(convs, image=True, kind="long-img"))
    for _ in range(4):
        convs = []
        for _ in range(G.r.randint(6, 14)):
            convs += [h(G.para(3, 8)), g(G.para(10, 30))]
        R.append(G.rec(convs, image=False, kind="long-text"))
    R.append(G.rec([h(G.para(60, 80)), g(G.para(60, 80))], image=False, kind="long-text1"))
    big = [t for _ in range(30) for t in (h(G.para(5, 5)), g(G.para(5, 5)))]
    big[40]["value"] = "<image>\n" + big[40]["value"]  # the only <image> lies beyond 2048 tokens
    R.append(G.rec(copy.deepcopy(big), image=True, kind="long-img-late"))
    for _ in range(4):  # image record without any <image>: trained without the image
        R.append(G.rec([h(G.sentence()), g(G.para(1, 2))], image=True, kind="no-placeholder"))
    for _ in range(3):  # <image> in two turns
        R.append(G.rec([h("<image>\n" + G.sentence()), g(G.para(1, 1)), h("<image> " + G.sentence()), g("x")], kind="two-img"))
    R.append(G.rec([h("<image>\nq"), g("Here <image> is")], kind="two-img-gpt"))
    R.append(G.rec([h("q"), g("<image> in the answer only")], kind="img-in-gpt"))
    for _ in range(3):  # <image> twice in one turn collapses to one
        R.append(G.rec([h("<image>" + G.words(2, 4) + "<image>\n" + G.sentence()), g(G.para(1, 1))], kind="img-twice-one-turn"))
    for _ in range(3):  # text-only record with a literal <image>: tokenized as text
        R.append(G.rec([h("<image>\n" + G.sentence()), g(G.para(1, 1))], image=False, kind="text-literal-img"))
    for ws in ["\u00a0", "\u3000", "\t", "\r\n", "\u2028", "\u0085", "\u200b", "  \n "]:  # strip() edge cases
        R.append(G.rec([h(ws + "<image>" + ws + G.sentence() + ws), g(ws + G.para(1, 1) + ws)], kind="ws"))
    R.append(G.rec([h("<image>\n" + G.sentence()), g("A1"), h(G.sentence()), g("4")], kind="digits"))
    R.append(G.rec([h("<image>\nWhat color is the bus?"), g("Red."), h("How many wheels?"), g("4")], kind="worked"))
    R.append(G.rec([h("<image>\nWhat color is the bus?"), g("Red."), h("How many wheels?"), g("4")], image=False, kind="worked-text"))
    return R


def plain_records():
    G = Gen(777)
    R = []
    prompts = ["<image>\nDescribe the image.", "Write a terse but informative summary of the picture.\n<image>",
               "<image>", "Share a concise interpretation of the image provided. <image>"]
    for _ in range(40):
        R.append(G.rec([h(G.r.choice(prompts)), g(G.para(1, 4))], kind="cap"))
    for u in UNICODE[:8]:
        R.append(G.rec([h("<image>\nDescribe."), g(u + " " + G.sentence())], kind="cap-unicode"))
    R.append(G.rec([h("<image>"), g("")], kind="cap-empty"))
    R.append(G.rec([h("<image>"), g("ends with specials </s>")], kind="cap-lit"))
    R.append(G.rec([h("<image>"), g("<unk> at start")], kind="cap-lit"))
    R.append(G.rec([h("<image>"), g("  leading and trailing spaces  ")], kind="cap-ws"))
    R.append(G.rec([h("<image>"), g(G.para(40, 60))], kind="cap-long"))
    R.append(G.rec([h("<image>"), g("caption with <image> inside")], kind="cap-two-img"))
    R.append(G.rec([h("Describe."), g("no placeholder")], kind="cap-no-img"))
    R.append(G.rec([h("<image>"), g("a"), h("b"), g("c")], kind="cap-4turns"))
    R.append(G.rec([h("<image>")], kind="cap-1turn"))
    R.append(G.rec([h("<image>"), g("text-only caption")], image=False, kind="cap-textonly"))
    R.append(G.rec([g("<image>"), h("roles are not checked by plain")], kind="cap-roles"))
    R.append(G.rec([], kind="cap-empty-conv"))
    return R


def write_records(name, records):
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, name + ".records.json"), "w", encoding="utf-8") as f:
        json.dump(records, f, ensure_ascii=False, indent=0)
    return name, records


def run_case(name, template, max_len, named_records, tok):
    input_name, records = named_records
    Ctx.default_conversation = conv_templates[template]
    tokenizer = HFTokenizer(tok, max_len)
    stats = {"samples": 0, "rejected": 0, "mismatch": 0, "truncated": 0}
    with open(os.path.join(OUT_DIR, name + ".expected.jsonl"), "w", encoding="utf-8") as f:
        for rec in records:
            out = {"id": rec["id"]}
            out.update(expected_for(rec, tokenizer))
            if "rejected" in out:
                stats["rejected"] += 1
            else:
                stats["samples"] += 1
                stats["mismatch"] += out["mismatch"]
                stats["truncated"] += len(out["input_ids"]) == max_len
            f.write(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{name}: template={template} max_length={max_len} records={len(records)} {stats}")
    return {"name": name, "input": input_name + ".records.json", "template": template, "max_length": max_len,
            "records": len(records), **stats}


def main():
    tok = Llama431Tokenizer.from_dir(os.path.join(HERE, "..", "..", "..", "..", "..", "data-manifests", "sample", "tokenizer"))
    assert tok.legacy is False
    v1 = write_records("v1", v1_records())
    v1_head = write_records("v1-head60", v1[1][:60])
    plain = write_records("plain", plain_records())
    cases = [
        run_case("v1-2048", "v1", 2048, v1, tok),
        run_case("v1-64", "v1", 64, v1, tok),
        run_case("plain-2048", "plain", 2048, plain, tok),
        run_case("plain-16", "plain", 16, plain, tok),
        run_case("share4v_v1-2048", "share4v_v1", 2048, v1_head, tok),
        run_case("v1_mmtag-2048", "v1_mmtag", 2048, v1_head, tok),
        run_case("llama_2-2048", "llama_2", 2048, v1, tok),
    ]
    with open(os.path.join(OUT_DIR, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, indent=1)


if __name__ == "__main__":
    main()
