"""A small, tolerant reader for the block YAML that yaml-cpp writes for SkyPilot tasks.

It understands nested block mappings, block sequences (of scalars or of mappings), literal and
folded block scalars (skipped over as strings), flow mappings/sequences one level deep, quoted
scalars, ~/null, booleans and numbers. That is all a task YAML needs; anything else is kept as a
plain string. Several documents ('---') are reported so `launch` can refuse a DAG YAML.
"""


def _scalar(text):
    text = text.strip()
    if not text:
        return None
    if text[0] in '"\'' and len(text) >= 2 and text[-1] == text[0]:
        body = text[1:-1]
        if text[0] == '"':
            body = body.replace('\\"', '"').replace('\\\\', '\\')
        else:
            body = body.replace("''", "'")
        return body
    if text in ('~', 'null', 'Null', 'NULL'):
        return None
    if text in ('true', 'True', 'TRUE', 'yes', 'on'):
        return True
    if text in ('false', 'False', 'FALSE', 'no', 'off'):
        return False
    if text.startswith('{') and text.endswith('}'):
        result = {}
        for part in _split_flow(text[1:-1]):
            if ':' in part:
                key, value = part.split(':', 1)
                result[str(_scalar(key))] = _scalar(value)
        return result
    if text.startswith('[') and text.endswith(']'):
        return [_scalar(part) for part in _split_flow(text[1:-1])]
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        pass
    return text


def _split_flow(body):
    parts, depth, current, quote = [], 0, '', None
    for ch in body:
        if quote:
            current += ch
            if ch == quote:
                quote = None
            continue
        if ch in '"\'':
            quote = ch
        elif ch in '[{':
            depth += 1
        elif ch in ']}':
            depth -= 1
        elif ch == ',' and depth == 0:
            parts.append(current.strip())
            current = ''
            continue
        current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def _strip_comment(line):
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in '"\'':
            quote = ch
        elif ch == '#' and (i == 0 or line[i - 1] in ' \t'):
            return line[:i].rstrip()
    return line.rstrip()


def _split_key(text):
    """'key: value' -> (key, value-text) or None when the line is not a mapping entry."""
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in '"\'':
            quote = ch
        elif ch == ':' and (i + 1 == len(text) or text[i + 1] == ' '):
            return str(_scalar(text[:i])), text[i + 1:].strip()
    return None


def parse(text):
    """Returns (documents, error). Each document is a dict (or whatever the top level was)."""
    documents = []
    current = []
    for raw in text.splitlines():
        if raw.strip() == '---':
            if any(l.strip() for l in current):
                documents.append(current)
            current = []
            continue
        current.append(raw)
    if any(l.strip() for l in current):
        documents.append(current)
    return [_parse_lines(lines) for lines in documents]


def _parse_lines(raw_lines):
    lines = []  # (indent, content)
    i = 0
    while i < len(raw_lines):
        raw = raw_lines[i].replace('\t', '  ')
        content = _strip_comment(raw)
        if not content.strip():
            i += 1
            continue
        indent = len(content) - len(content.lstrip(' '))
        body = content.strip()
        entry = _split_key(body[2:] if body.startswith('- ') else body)
        value_text = entry[1] if entry else (body[2:] if body.startswith('- ') else '')
        if value_text[:1] in ('|', '>'):
            # Block scalar: collect the more-indented lines that follow.
            block = []
            i += 1
            while i < len(raw_lines):
                nxt = raw_lines[i]
                if nxt.strip() and len(nxt) - len(nxt.lstrip(' ')) <= indent:
                    break
                block.append(nxt.strip())
                i += 1
            lines.append((indent, body[:len(body) - len(value_text)] + ' ' + _quote('\n'.join(block))))
            continue
        lines.append((indent, body))
        i += 1
    value, _ = _parse_block(lines, 0, lines[0][0] if lines else 0)
    return value


def _quote(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


def _parse_block(lines, pos, indent):
    if pos >= len(lines):
        return None, pos
    if lines[pos][1].startswith('- ') or lines[pos][1] == '-':
        return _parse_sequence(lines, pos, indent)
    return _parse_mapping(lines, pos, indent)


def _parse_mapping(lines, pos, indent):
    result = {}
    while pos < len(lines):
        line_indent, body = lines[pos]
        if line_indent < indent:
            break
        if line_indent > indent:
            pos += 1  # tolerate stray indentation
            continue
        if body.startswith('- '):
            break
        entry = _split_key(body)
        if entry is None:
            pos += 1
            continue
        key, value_text = entry
        pos += 1
        if value_text:
            result[key] = _scalar(value_text)
        elif pos < len(lines) and (lines[pos][0] > indent or
                                   (lines[pos][0] == indent and lines[pos][1].startswith('- '))):
            result[key], pos = _parse_block(lines, pos, lines[pos][0])
        else:
            result[key] = None
    return result, pos


def _parse_sequence(lines, pos, indent):
    result = []
    while pos < len(lines):
        line_indent, body = lines[pos]
        if line_indent != indent or not (body.startswith('- ') or body == '-'):
            break
        item = body[2:].strip() if body != '-' else ''
        pos += 1
        entry = _split_key(item) if item else None
        if entry is not None:
            # A mapping that starts on the dash line: its keys sit at indent + 2.
            inner = [(indent + 2, item)]
            while pos < len(lines) and lines[pos][0] > indent:
                inner.append(lines[pos])
                pos += 1
            value, _ = _parse_mapping(inner, 0, indent + 2)
            result.append(value)
        elif item:
            result.append(_scalar(item))
        elif pos < len(lines) and lines[pos][0] > indent:
            value, pos = _parse_block(lines, pos, lines[pos][0])
            result.append(value)
        else:
            result.append(None)
    return result, pos
