"""File edits made through the shell: which files a command writes, and with what text.

Agents edit files with the shell as often as with their edit tools: ``cat > src/x.py <<'EOF'``,
``echo … >> .env``, ``tee path <<EOF``, ``printf '…' > path``, ``sed -i 's/30s/60s/' values.yaml``
(GNU and BSD), ``perl -pi -e 's/…/…/' path``, ``python - <<'EOF'`` scripts that call
``Path(p).write_text(…)`` or ``open(p, 'w')``, ``ed``/``ex`` one-liners. :func:`shell_edits`
reads one command and returns each file it writes with the text it knows: a heredoc body or
echo/printf arguments as the new text, each substitution of ``sed -i``/``perl -pi``/``ed`` and
each literal ``.replace(old, new)`` of a script as an old → new change.

What is not an edit (the rules in ``ingest/rules/shell_edit.toml`` say which words and paths):

* output sent to a device, a temporary file or a saved log (``> /dev/null``, ``2>&1``,
  ``> /tmp/x.py``, ``| tee test.log``), and any stderr redirection;
* a file filled with another program's output (``pytest > out.txt``, ``jq . a > b``,
  ``cat a b > c``): generated, not written by the agent;
* reads (``cat file``, ``sed -n '1,20p' file``, ``sed 's/a/b/' x > y``'s input).

Whether the edit happened is read from the result (:func:`edit_applied`): the writing program
saying it could not write its file (``sed: can't read x``) drops the edit; a failed exit status
drops it only when the edit is the command's last step, since ``sed -i … && pytest`` fails with
the check after the substitution was made.
"""

from __future__ import annotations

import posixpath
import re
from contextvars import ContextVar
from dataclasses import dataclass

from ingest.facts.edits import patch_files
from ingest.facts.shell import SimpleCommand, Word, basename, shell_script_argument, simple_commands
from ingest.rules import rule, rules

_LITERAL = rule("shell_edit.writer.literal").regex
_TEE = rule("shell_edit.writer.tee").regex
_SED = rule("shell_edit.substitution.sed")
_SED_IN_PLACE = re.compile(str(_SED.fields["in_place"]))
_SED_OPTIONS_WITH_VALUE = frozenset(_SED.fields["options_with_value"])
_PERL = rule("shell_edit.substitution.perl")
_PERL_IN_PLACE = re.compile(str(_PERL.fields["in_place"]))
_ED = rule("shell_edit.substitution.ed")
_ED_WRITES = re.compile(str(_ED.fields["writes"]))
_PYTHON = rule("shell_edit.script.interpreter").regex
_PATH_WRITE = rule("shell_edit.script.path_write").regex
_OPEN_WRITE = rule("shell_edit.script.open_write").regex
_PATH_VARIABLE = rule("shell_edit.script.path_variable").regex
_VARIABLE_WRITE = rule("shell_edit.script.variable_write").regex
_REPLACE = rule("shell_edit.script.replace").regex
_COPY = rule("shell_edit.copy.program")
_COPY_OPTIONS_WITH_VALUE = frozenset(_COPY.fields["options_with_value"])
_COPY_TARGET_OPTION = frozenset(_COPY.fields["target_option"])
_COPY_DRY_RUN = re.compile(str(_COPY.fields["dry_run"]))
_INSTALL_NOT_A_COPY = re.compile(str(_COPY.fields["install_not_a_copy"]))
_RESTORE = rule("shell_edit.restore.git")
_RESTORE_OPTIONS_WITH_VALUE = frozenset(_RESTORE.fields["options_with_value"])
_RESTORE_STAGED = re.compile(str(_RESTORE.fields["staged_only"]))
_RESTORE_WORKTREE = re.compile(str(_RESTORE.fields["worktree"]))
_PATCH = rule("shell_edit.patch.apply")
_PATCH_DRY_RUN = re.compile(str(_PATCH.fields["dry_run"]))
_PATCH_OPTIONS_WITH_VALUE = frozenset(_PATCH.fields["options_with_value"])
_UNKNOWN_TARGET = rule("shell_edit.patch.unknown_target").regex
_FORMATTER = rule("shell_edit.formatter.in_place")
_FORMATTER_NEEDS_WRITE = {name: re.compile(str(flag)) for name, flag in _FORMATTER.fields["needs_write"].items()}
_FORMATTER_REPORT_ONLY = re.compile(str(_FORMATTER.fields["report_only"]))
_FORMATTER_OPTIONS_WITH_VALUE = frozenset(_FORMATTER.fields["options_with_value"])
_SCRATCH = tuple(r.regex for r in rules("shell_edit") if r.category == "scratch")
_DEVICE = rule("shell_edit.scratch.device").regex
_FAILURE = rule("shell_edit.failure.output").regex

_WRITE_REDIRECTION = re.compile(r"^(?:1?>|1?>>|>\||&>|&>>|1?>&)$")
# One substitution of a sed / perl / ed script: an optional address, then s<d>old<d>new<d>flags.
_SUBSTITUTION = re.compile(
    r"(?:^|(?<=[;\n{}|]))\s*(?:\d+(?:,\d+)?|\$|%|,|/(?:\\.|[^/\\\n])*/(?:,/(?:\\.|[^/\\\n])*/)?)?\s*"
    r"s(?P<d>[^\w\s\\;])(?P<old>(?:\\.|(?!(?P=d))[^\n])*)(?P=d)(?P<new>(?:\\.|(?!(?P=d))[^\n])*)(?P=d)"
    r"(?P<flags>[a-zA-Z0-9]*)"
)
# perl's bracketing delimiters: s{old}{new}, s(old)(new), s[old][new], s<old><new>
_BRACKETED = re.compile(
    r"(?:^|(?<=[;\n{}]))\s*s(?:\{(?P<a1>[^{}\n]*)\}\s*\{(?P<a2>[^{}\n]*)\}|\((?P<b1>[^()\n]*)\)\s*\((?P<b2>[^()\n]*)\)"
    r"|\[(?P<c1>[^\[\]\n]*)\]\s*\[(?P<c2>[^\[\]\n]*)\]|<(?P<d1>[^<>\n]*)>\s*<(?P<d2>[^<>\n]*)>)[a-zA-Z]*"
)
_PREFIXES = frozenset({"sudo", "env", "command", "exec", "nohup", "time", "doas"})
_KEYWORDS = frozenset({"do", "then", "else", "{", "!"})
_UNKNOWN_PATH = re.compile(r"\$(?!\{?PWD\b)|`|[*?]")
_PWD_PREFIX = re.compile(r"^(?:\$\{?PWD\}?|\$\(pwd\))/")


@dataclass(frozen=True, slots=True)
class ShellEdit:
    """One file a shell command writes. ``op``: write | append | sed | perl | script | ed |
    copy | move | checkout | patch | format.

    ``old_text``/``new_text``: the replaced and replacing text of a substitution, or None and
    the written text of a write; both None when the command writes the file with text it does
    not show (``sed -i '/x/d'``, ``cp a b``). ``step``: the index of the simple command that
    writes it, ``last``: whether that simple command is the last one the command runs. A patch
    whose text is not in the command (``git apply fix.diff``) is recorded against
    :func:`unknown_patch_target` of its file, with ``source`` the patch file, until the session
    knows that file's text. A path with an unexpanded variable or a glob (``$ROOT/src/a.py``,
    ``src/*.py``) is kept as written.
    """

    path: str
    op: str
    old_text: str | None
    new_text: str | None
    rule_id: str
    step: int = 0
    last: bool = True
    source: str | None = None  # the file copied or moved here, or the patch file applied

    @property
    def formatting(self) -> bool:
        """True for a formatter's rewrite: an edit, never a fix attempt."""
        return self.op == "format"


def shell_edits(command: str | None) -> list[ShellEdit]:
    """The files ``command`` writes, in order, with the text it writes where the command shows it."""
    if not isinstance(command, str) or not command.strip():
        return []
    try:
        return _edits_of(command)
    except RecursionError:  # pragma: no cover - a pathological nesting of bash -c scripts
        return []


def edit_applied(edit: ShellEdit, exit_code: int | None, is_error: bool, output: str | None) -> bool:
    """False when the command's result shows the edit did not happen: the writing program said it
    could not write its file, or the command failed and the edit was its last step."""
    text = (output or "")[:4000]
    for found in _FAILURE.finditer(text):
        end = text.find("\n", found.end())
        line = text[text.rfind("\n", 0, found.start()) + 1 : len(text) if end < 0 else end]
        if posixpath.basename(edit.path) in line or edit.last:
            return False
    failed = is_error or (exit_code is not None and exit_code != 0)
    return not (failed and edit.last)


def is_scratch(path: str) -> bool:
    """True for a device, a temporary file or a saved output: never the project's file."""
    return any(pattern.search(path) for pattern in _SCRATCH)


# --------------------------------------------------------------------------- the walk


def _edits_of(command: str, depth: int = 0) -> list[ShellEdit]:
    parts = simple_commands(command)
    found: list[ShellEdit] = []
    cwd: str | None = None
    for index, part in enumerate(parts):
        words = _strip_prefixes(part.words)
        last = index == len(parts) - 1
        if words and words[0].text == "cd":
            cwd = _change_directory(cwd, words[1].text if len(words) > 1 else None)
            continue
        script = shell_script_argument(words) if words and depth < 3 else None
        if script is not None:
            inner = _edits_of(script.text, depth + 1)
            found += [_placed(edit, index, last and edit.last, cwd) for edit in inner]
            continue
        if words and basename(words[0].text) in ("bash", "sh", "zsh") and depth < 3:
            body = _heredoc(part)
            if body and (len(words) == 1 or words[1].text in ("-", "-s", "-e", "-eu", "-x")):
                inner = _edits_of(body or "", depth + 1)
                found += [_placed(edit, index, last, cwd) for edit in inner]
                continue
        producer = parts[index - 1] if index > 0 and part.before in ("|", "|&") else None
        for edit in _edits_of_simple(words, part, producer):
            found.append(_placed(edit, index, last, cwd))
    return found


def _placed(edit: ShellEdit, step: int, last: bool, cwd: str | None) -> ShellEdit:
    path = _PWD_PREFIX.sub("", edit.path)
    if cwd and not path.startswith(("/", "~")):
        path = posixpath.normpath(posixpath.join(cwd, path))
    source = edit.source
    if source and cwd and not source.startswith(("/", "~")) and edit.op in ("copy", "move", "patch"):
        source = posixpath.normpath(posixpath.join(cwd, source))
    return ShellEdit(path, edit.op, edit.old_text, edit.new_text, edit.rule_id, step, last, source)


def _change_directory(cwd: str | None, target: str | None) -> str | None:
    if not target or target == "-" or _UNKNOWN_PATH.search(target) or target.startswith("~"):
        return None if target is None or target.startswith("~") else cwd
    if target.startswith("/") or cwd is None:
        return posixpath.normpath(target)
    return posixpath.normpath(posixpath.join(cwd, target))


def _strip_prefixes(words: list[Word]) -> list[Word]:
    while words and words[0].text in _KEYWORDS:  # the body of a loop or branch: for f in …; do sed -i …
        words = words[1:]
    while words and (basename(words[0].text) in _PREFIXES or re.fullmatch(r"[A-Za-z_]\w*=.*", words[0].text, re.S)):
        words = words[1:]
        while words and words[0].text.startswith("-") and words[0].text != "-":
            words = words[1:]
    return words


_KEEP_SCRATCH: ContextVar[bool] = ContextVar("keep_scratch", default=False)


def _usable(path: str | None) -> bool:
    """A target the project may hold: not a device, a temporary file or a log. A path with an
    unexpanded variable or a glob (``"$f"``, ``src/*.py``) is kept as written: an edit whose
    file is not known, not no edit."""
    if not path or path in ("-", "--"):
        return False
    return _KEEP_SCRATCH.get() or not is_scratch(path)


def written_texts(command: str | None) -> list[tuple[str, str]]:
    """(path, text) of each whole file a command writes with text it shows, scratch files
    included (``cat > /tmp/fix.diff <<EOF``): a patch applied later in the session is read from it."""
    token = _KEEP_SCRATCH.set(True)
    try:
        found = shell_edits(command)
    finally:
        _KEEP_SCRATCH.reset(token)
    return [
        (edit.path, edit.new_text)
        for edit in found
        if edit.op == "write" and edit.new_text and not is_device(edit.path)
    ]


def is_device(path: str) -> bool:
    return bool(_DEVICE.search(path))


def _heredoc(part: SimpleCommand) -> str | None:
    """The text a simple command reads on stdin from the command itself: a heredoc or here-string."""
    for redirection in part.redirections:
        if redirection.operator in ("<<", "<<-") and redirection.body is not None:
            return redirection.body
        if redirection.operator == "<<<" and redirection.target is not None:
            return redirection.target + "\n"
    return None


def _edits_of_simple(words: list[Word], part: SimpleCommand, producer: SimpleCommand | None) -> list[ShellEdit]:
    program = basename(words[0].text) if words else ""
    texts = [word.text for word in words[1:]]
    found: list[ShellEdit] = []
    two_words = f"{program} {texts[0]}" if texts else program
    if program and _COPY.regex.fullmatch(program):
        return _copies(program, texts)
    if program == "git":  # git -C dir / -c key=value / --no-pager before the subcommand
        texts = _git_subcommand(texts)
        two_words = f"git {texts[0]}" if texts else program
    if program == "git" and texts and _RESTORE.regex.fullmatch(texts[0]):
        return _restores(texts[0], texts[1:])
    if program and (_PATCH.regex.fullmatch(program) or _PATCH.regex.fullmatch(two_words)):
        return _patches(texts[1:] if program == "git" else texts, part)
    tool, tool_texts = _run_by_runner(program, texts)  # npx prettier, uv run black
    tool_two = f"{tool} {tool_texts[0]}" if tool_texts else tool
    if _FORMATTER.regex.fullmatch(tool_two):
        return _formatted(tool_two, tool_texts[1:])
    if tool and _FORMATTER.regex.fullmatch(tool):
        return _formatted(tool, tool_texts)
    if program and _SED.regex.fullmatch(program):
        found += _sed(texts)
    elif program and _PERL.regex.fullmatch(program):
        found += _perl(texts)
    elif program and _ED.regex.fullmatch(program):
        found += _ed(program, texts, part, producer)
    elif program and _PYTHON.fullmatch(program):
        found += _python(texts, part)
    elif program and _TEE.fullmatch(program):
        content = _heredoc(part)
        if content is None and producer is not None:
            content = _literal_output(_strip_prefixes(producer.words), producer)
        if content is not None:
            append = any(text in ("-a", "--append") for text in texts)
            for path in (text for text in texts if not text.startswith("-")):
                if _usable(path):
                    found.append(
                        ShellEdit(path, "append" if append else "write", None, content, "shell_edit.writer.tee")
                    )
    # a literal writer's output redirected to a file
    content = _literal_output(words, part) if program and _LITERAL.fullmatch(program) else None
    if content is not None:
        for redirection in part.redirections:
            if _WRITE_REDIRECTION.match(redirection.operator) and _usable(redirection.target):
                op = "append" if ">>" in redirection.operator else "write"
                found.append(ShellEdit(str(redirection.target), op, None, content, "shell_edit.writer.literal"))
    return found


def _literal_output(words: list[Word], part: SimpleCommand) -> str | None:
    """What cat (of a heredoc), echo or printf prints, or None when it prints something else."""
    if not words:
        return None
    program = basename(words[0].text)
    arguments = [word.text for word in words[1:]]
    if program == "cat":
        return _heredoc(part) if not [a for a in arguments if a != "-"] else None
    if program == "echo":
        interpret = False
        while arguments and re.fullmatch(r"-[neE]+", arguments[0]):
            interpret = interpret or "e" in arguments[0]
            arguments = arguments[1:]
        text = " ".join(arguments)
        return (_escapes(text) if interpret else text) + "\n"
    if program == "printf":
        if arguments[:1] == ["--"]:
            arguments = arguments[1:]
        if not arguments:
            return None
        return _printf(arguments[0], arguments[1:])
    return None


def _escapes(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def _printf(format_: str, arguments: list[str]) -> str:
    specifiers = re.findall(r"%[-+ #0-9.]*[sbdifgxXoc]", format_)
    template = _escapes(format_).replace("%%", "%")
    if not specifiers:
        return template
    out: list[str] = []
    rest = list(arguments) or [""]
    while rest:
        chunk, rest = rest[: len(specifiers)], rest[len(specifiers) :]
        chunk += [""] * (len(specifiers) - len(chunk))
        pieces = re.split(r"%[-+ #0-9.]*[sbdifgxXoc]", template)
        out.append(
            pieces[0] + "".join(_escapes(value) + piece for value, piece in zip(chunk, pieces[1:], strict=False))
        )
    return "".join(out)


# --------------------------------------------------------------------------- in-place programs


def _substitutions(script: str) -> list[tuple[str, str]]:
    changes = []
    for found in _SUBSTITUTION.finditer(script):
        delimiter = found.group("d")
        changes.append((_unescape(found.group("old"), delimiter), _unescape(found.group("new"), delimiter)))
    if not changes:
        for found in _BRACKETED.finditer(script):
            key = next(k for k in "abcd" if found.group(f"{k}1") is not None)
            old, new = found.group(f"{key}1"), found.group(f"{key}2")
            changes.append((_unescape(old, ""), _unescape(new, "")))
    return changes


def _unescape(text: str, delimiter: str) -> str:
    return re.sub(r"\\([" + re.escape(delimiter) + r".*\[\]^$/&|+?(){}])", r"\1", text)


def _changes(paths: list[str], script: str, op: str, rule_id: str) -> list[ShellEdit]:
    pairs = _substitutions(script)
    found = []
    for path in paths:
        if not _usable(path):
            continue
        if pairs:
            found += [ShellEdit(path, op, old, new, rule_id) for old, new in pairs]
        else:
            found.append(ShellEdit(path, op, None, None, rule_id))
    return found


def _sed(arguments: list[str]) -> list[ShellEdit]:
    in_place = False
    scripts: list[str] = []
    operands: list[str] = []
    index = 0
    while index < len(arguments):
        text = arguments[index]
        bsd = index + 1 < len(arguments) and (arguments[index + 1] == "" or _bsd_suffix(arguments, index))
        if text == "-i" and bsd:
            in_place, index = True, index + 2  # BSD: -i '' or -i .bak
            continue
        if _SED_IN_PLACE.fullmatch(text):
            in_place = True
        elif text in _SED_OPTIONS_WITH_VALUE and index + 1 < len(arguments):
            if text in ("-e", "--expression"):
                scripts.append(arguments[index + 1])
            elif text in ("-f", "--file"):
                scripts.append("")
            index += 1
        elif text.startswith("--expression="):
            scripts.append(text.split("=", 1)[1])
        elif text.startswith("-") and text != "-":
            pass
        else:
            operands.append(text)
        index += 1
    if not in_place:
        return []
    if not scripts:
        if not operands:
            return []
        scripts, operands = [operands[0]], operands[1:]
    return _changes(operands, "\n".join(scripts), "sed", "shell_edit.substitution.sed")


def _bsd_suffix(arguments: list[str], index: int) -> bool:
    """``sed -i .bak 's/…/' f``: the word after -i is a backup suffix, not the script."""
    following = arguments[index + 1]
    return bool(re.fullmatch(r"\.[\w.-]+", following)) and index + 2 < len(arguments)


def _perl(arguments: list[str]) -> list[ShellEdit]:
    in_place = False
    scripts: list[str] = []
    operands: list[str] = []
    index = 0
    while index < len(arguments):
        text = arguments[index]
        if text.startswith("-") and len(text) > 1 and not operands:
            in_place = in_place or bool(_PERL_IN_PLACE.fullmatch(text))
            if re.search(r"[eE]$", text) and index + 1 < len(arguments):
                scripts.append(arguments[index + 1])
                index += 1
        else:
            operands.append(text)
        index += 1
    if not in_place or not scripts:
        return []
    return _changes(operands, "\n".join(scripts), "perl", "shell_edit.substitution.perl")


def _ed(program: str, arguments: list[str], part: SimpleCommand, producer: SimpleCommand | None) -> list[ShellEdit]:
    scripts: list[str] = []
    operands: list[str] = []
    index = 0
    while index < len(arguments):
        text = arguments[index]
        if program == "ex" and text in ("-c", "+c") and index + 1 < len(arguments):
            scripts.append(arguments[index + 1])
            index += 1
        elif program == "ex" and text.startswith("+") and len(text) > 1:
            scripts.append(text[1:])
        elif re.fullmatch(r"-[a-zA-Z]*c", text) and program == "ex" and index + 1 < len(arguments):
            scripts.append(arguments[index + 1])
            index += 1
        elif not text.startswith("-"):
            operands.append(text)
        index += 1
    stdin = _heredoc(part)
    if stdin is None and producer is not None:
        stdin = _literal_output(_strip_prefixes(producer.words), producer)
    if stdin:
        scripts.append(stdin)
    script = "\n".join(scripts)
    if not operands or not _ED_WRITES.search(script.replace("|", "\n|")):
        return []
    return _changes(operands[:1], script, "ed", "shell_edit.substitution.ed")


# --------------------------------------------------------------------------- copies, patches, formatters


def unknown_patch_target(patch_file: str) -> str:
    """The path a patch applied from ``patch_file`` is recorded against while the files it names
    are unknown (rule ``shell_edit.patch.unknown_target``)."""
    return f"<files of {patch_file}>"


def is_unknown_target(path: str) -> bool:
    return bool(_UNKNOWN_TARGET.fullmatch(path))


def _operands(texts: list[str], options_with_value: frozenset[str]) -> tuple[list[str], list[str]]:
    """(options, operands) of a command's arguments; ``--`` ends the options."""
    options: list[str] = []
    operands: list[str] = []
    index = 0
    while index < len(texts):
        text = texts[index]
        if text == "--":
            operands += texts[index + 1 :]
            break
        if text.startswith("-") and text != "-":
            options.append(text)
            if text in options_with_value and index + 1 < len(texts):
                options.append(texts[index + 1])
                index += 1
        else:
            operands.append(text)
        index += 1
    return options, operands


def _copies(program: str, texts: list[str]) -> list[ShellEdit]:
    """cp / mv / install / rsync: the destination is written (``-t DIR`` names it first)."""
    options, operands = _operands(texts, _COPY_OPTIONS_WITH_VALUE)
    if any(_COPY_DRY_RUN.fullmatch(option) for option in options):
        return []
    if program == "install" and any(_INSTALL_NOT_A_COPY.fullmatch(option) for option in options):
        return []  # install -d makes folders
    target_dir = next((options[i + 1] for i, option in enumerate(options[:-1]) if option in _COPY_TARGET_OPTION), None)
    if target_dir is None:
        if len(operands) < 2:
            return []
        sources, destination = operands[:-1], operands[-1]
    else:
        sources, destination = operands, target_dir
    if ":" in destination.split("/")[0] and program in ("rsync", "cp"):
        return []  # a remote host (rsync host:path)
    into_folder = target_dir is not None or len(sources) > 1 or destination.endswith("/") or destination in (".", "..")
    op = "move" if program == "mv" else "copy"
    found = []
    for source in sources:
        path = posixpath.join(destination, posixpath.basename(source.rstrip("/"))) if into_folder else destination
        path = posixpath.normpath(path) if not _UNKNOWN_PATH.search(path) else path
        if _usable(path):
            found.append(ShellEdit(path, op, None, None, _COPY.id, source=source))
    return found


def _git_subcommand(texts: list[str]) -> list[str]:
    index = 0
    while index < len(texts) and texts[index].startswith("-"):
        index += 2 if texts[index] in ("-C", "-c", "--git-dir", "--work-tree") else 1
    return texts[index:]


def _restores(verb: str, texts: list[str]) -> list[ShellEdit]:
    """git checkout [REV] -- FILE… / git restore [--source REV] FILE…: each file is written back."""
    if verb == "checkout":
        if "--" not in texts:
            return []  # git checkout BRANCH (a file named without -- is not told from a branch)
        paths = texts[texts.index("--") + 1 :]
    else:
        options, paths = _operands(texts, _RESTORE_OPTIONS_WITH_VALUE)
        staged = any(_RESTORE_STAGED.fullmatch(option) for option in options)
        if staged and not any(_RESTORE_WORKTREE.fullmatch(option) for option in options):
            return []  # the index only
    return [ShellEdit(path, "checkout", None, None, _RESTORE.id) for path in paths if _usable(path)]


def _patches(texts: list[str], part: SimpleCommand) -> list[ShellEdit]:
    """The files a patch changes: from its text when the command holds it (a heredoc), else
    recorded against the patch file (``patch -p1 < x.diff``, ``git apply x.diff``)."""
    options, operands = _operands(texts, _PATCH_OPTIONS_WITH_VALUE)
    if any(_PATCH_DRY_RUN.fullmatch(option) for option in options):
        return []
    text = _heredoc(part)
    if text is not None:
        return patch_text_edits(text)
    patch_file = next(
        (r.target for r in part.redirections if r.operator == "<" and r.target),
        next((options[i + 1] for i, o in enumerate(options[:-1]) if o in ("-i", "--input")), None),
    )
    if patch_file is None:
        candidates = [operand for operand in operands if re.search(r"\.(?:diff|patch)$", operand)]
        patch_file = candidates[0] if candidates else (operands[-1] if operands else None)
    if not patch_file:
        return []
    return [ShellEdit(unknown_patch_target(patch_file), "patch", None, None, _PATCH.id, source=patch_file)]


def patch_text_edits(text: str) -> list[ShellEdit]:
    """The files a unified diff (or apply_patch text) changes, each with its hunks' old and new sides."""
    found = []
    for file_patch in patch_files(text):
        path = file_patch.move_to or file_patch.path
        if _usable(path):
            found.append(ShellEdit(path, "patch", file_patch.old_text, file_patch.new_text, _PATCH.id))
    return found


_RUNNERS = {"uv": "run", "poetry": "run", "pipenv": "run", "pdm": "run", "hatch": "run", "pnpm": "exec", "yarn": "dlx"}


def _run_by_runner(program: str, texts: list[str]) -> tuple[str, list[str]]:
    """The program a package runner runs (``npx prettier``, ``uv run black``) and its arguments."""
    if program in ("npx", "bunx", "pnpx") and texts:
        rest = [text for text in texts if not text.startswith("-")]
        if rest:
            return basename(rest[0]), texts[texts.index(rest[0]) + 1 :]
    if program in _RUNNERS and len(texts) > 1 and texts[0] == _RUNNERS[program]:
        return basename(texts[1]), texts[2:]
    return program, texts


def _formatted(name: str, texts: list[str]) -> list[ShellEdit]:
    """A formatter's files (rewritten in place), when it writes them (``gofmt -w``, not ``--check``)."""
    options, operands = _operands(texts, _FORMATTER_OPTIONS_WITH_VALUE)
    if any(_FORMATTER_REPORT_ONLY.fullmatch(option) for option in options):
        return []
    needs = _FORMATTER_NEEDS_WRITE.get(name.split(" ")[0])
    if needs is not None and not any(needs.fullmatch(option) for option in options):
        return []
    return [ShellEdit(path, "format", None, None, _FORMATTER.id) for path in operands or ["."] if _usable(path)]


# --------------------------------------------------------------------------- inline scripts


def _python(arguments: list[str], part: SimpleCommand) -> list[ShellEdit]:
    script = None
    if "-c" in arguments:
        position = arguments.index("-c")
        script = arguments[position + 1] if position + 1 < len(arguments) else None
    elif not [a for a in arguments if not a.startswith("-")] or arguments[:1] == ["-"]:
        script = _heredoc(part)
    if not script:
        return []
    paths: list[str] = [found.group("path") for found in _PATH_WRITE.finditer(script)]
    paths += [found.group("path") for found in _OPEN_WRITE.finditer(script)]
    variables = {found.group("var"): found.group("path") for found in _PATH_VARIABLE.finditer(script)}
    for found in _VARIABLE_WRITE.finditer(script):
        name = found.group("var") or found.group("ovar")
        if name in variables:
            paths.append(variables[name])
    replacements = [
        (_python_unescape(found.group("old")), _python_unescape(found.group("new")))
        for found in _REPLACE.finditer(script)
    ]
    found_edits: list[ShellEdit] = []
    written = [path for path in dict.fromkeys(paths) if _usable(path)]
    for path in written:
        if replacements and len(written) == 1:  # which replacement went to which of several files is not read
            found_edits += [
                ShellEdit(path, "script", old, new, "shell_edit.script.replace") for old, new in replacements
            ]
        else:
            found_edits.append(ShellEdit(path, "script", None, None, "shell_edit.script.path_write"))
    return found_edits


def _python_unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t").replace("\\'", "'").replace('\\"', '"')


__all__ = [
    "ShellEdit",
    "edit_applied",
    "is_scratch",
    "is_unknown_target",
    "patch_text_edits",
    "shell_edits",
    "unknown_patch_target",
    "written_texts",
]
