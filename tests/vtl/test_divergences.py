"""Each place where plain airspeed-ext differs from AppSync's VTL, pinned to AppSync's behaviour."""

from __future__ import annotations

import pytest

from emulator.vtl import TemplateError


def test_null_condition_is_false(vtl):
    """AppSync (Velocity): "#if($x)" is false when $x is null or false.

    airspeed treated an undefined or null reference in #if as true.
    """
    assert vtl.text("#if($nothing)yes#{else}no#end") == "no"
    assert vtl.text("#if($ctx.args.missing)yes#{else}no#end") == "no"


def test_empty_string_and_zero_are_true_conditions(vtl):
    """Velocity 1.7, which AppSync runs: only null and false are false in #if."""
    assert vtl.text('#set($s = "")#if($s)yes#{else}no#end') == "yes"
    assert vtl.text("#set($n = 0)#if($n)yes#{else}no#end") == "yes"


def test_not_null_is_true(vtl):
    """Velocity: `!$x` is true when $x is null; airspeed returned false."""
    assert vtl.text("#if(!$nothing)yes#{else}no#end") == "yes"


def test_missing_method_fails_loudly(vtl):
    """AppSync reports an error for an invalid method call in a template instead of
    silently producing null (airspeed's behaviour), so template bugs surface in tests."""
    with pytest.raises(TemplateError, match=r"no method frobnicate\(\) on a String"):
        vtl.text('#set($s = "x")$s.frobnicate()')


def test_method_on_null_is_null(vtl):
    """Velocity: invoking a method on a null reference yields null (renders nothing)."""
    assert vtl.text("[$!nothing.size()]") == "[]"
    assert vtl.text("#if($nothing.isEmpty())yes#{else}no#end") == "no"


def test_return_without_value_ends_template(vtl):
    """AppSync: "#return ... returns from the closest scoped logic block"; without data
    the template's result is null and nothing after it is rendered."""
    rendered = vtl.rendered('{"before": 1}#return\n{"after": 2}')
    assert rendered.returned
    assert rendered.value() is None


def test_return_with_value_replaces_output(vtl):
    """AppSync: "#return(data: Object)" returns `data` from the template, as is."""
    rendered = vtl.rendered('junk #return({"a": [1, true]}) more junk')
    assert rendered.value() == {"a": [1, True]}


def test_return_inside_foreach_and_if(vtl):
    """#return leaves every enclosing block, not just the loop."""
    rendered = vtl.rendered("#foreach($i in [1,2,3])#if($i == 2)#return($i)#end#end")
    assert rendered.value() == 2


def test_break_leaves_the_loop(vtl):
    """Velocity `#break`: stops the innermost #foreach; the template continues."""
    assert vtl.text("#foreach($i in [1,2,3,4])#if($i == 3)#break#end$i,#end|done") == "1,2,|done"


def test_foreach_counters(vtl):
    """Velocity: $foreach.count (1-based), $foreach.hasNext, $velocityCount."""
    out = vtl.text(
        "#foreach($x in ['a','b'])$foreach.count$x$velocityCount#if($foreach.hasNext),#end#end"
    )
    assert out == "1a1,2b2"


def test_foreach_over_map_iterates_values(vtl):
    """Velocity iterates a Map's values in #foreach (Map.values()); airspeed iterated keys."""
    assert vtl.text('#foreach($v in {"a": 1, "b": 2})$v#end') == "12"


def test_set_inside_loop_is_visible_after_it(vtl):
    """Velocity has one context per template: #set inside #foreach persists after it."""
    assert vtl.text("#foreach($i in [1,2])#set($last = $i)#end$last") == "2"


def test_string_interpolation_in_double_quotes(vtl):
    """Velocity interpolates references in double-quoted strings: "${x}-$y"."""
    assert vtl.text('#set($x = "a")#set($y = "b")#set($z = "${x}-$y!")$z') == "a-b!"
    assert vtl.value('#set($x = "a"){"k": $util.toJson("p${x}")}') == {"k": "pa"}


def test_booleans_render_as_java(vtl):
    """Java: Boolean.toString gives true/false, not Python's True/False."""
    assert vtl.text("#set($b = 1 == 1)$b $util.isNull($nothing)") == "true true"


def test_map_and_list_render_as_java(vtl):
    """Java's AbstractMap.toString `{a=1, b=[x, null]}`, not Python's repr."""
    assert vtl.text('#set($m = {"a": 1, "b": ["x", $nothing], "c": false})$m') == (
        "{a=1, b=[x, null], c=false}"
    )


def test_integer_division_truncates(vtl):
    """Java integer division truncates toward zero; Velocity yields null on division by zero."""
    assert vtl.text("#set($a = 7 / 2)#set($b = -7 / 2)$a $b") == "3 -3"
    assert vtl.text("#set($c = 1 / 0)[$!c]") == "[]"


def test_string_concatenation_with_numbers(vtl):
    """Velocity `+` with a String operand concatenates (Java string conversion)."""
    assert vtl.text('#set($s = "n" + 1 + true)$s') == "n1true"


def test_comparison_with_null_is_false(vtl):
    """Velocity logs and evaluates `null < 3` as false instead of failing."""
    assert vtl.text("#if($nothing < 3)yes#{else}no#end") == "no"


def test_equality_across_number_types(vtl):
    """Velocity compares numbers by value: 1 == 1.0."""
    assert vtl.text("#if(1 == 1.0)yes#end") == "yes"


def test_list_literal_spanning_lines(vtl):
    """Velocity accepts whitespace, newlines included, inside `[ ... ]` literals."""
    assert vtl.value('#set($l = [\n  {"a": 1},\n  2\n])$util.toJson($l)') == [{"a": 1}, 2]


def test_reference_right_after_hash_is_interpolated(vtl):
    """Velocity renders `"direct#${a}#${b}"` with both references substituted; airspeed
    treated `#$` as plain text and left `${a}` unrendered."""
    assert vtl.text('#set($a = "x")#set($b = "y")#set($id = "direct#${a}#$b")$id') == ("direct#x#y")
    assert vtl.text('#set($a = "x")#$a #${a}') == "#x #x"


def test_set_to_null_clears_the_value(vtl):
    """On AppSync `#set($context.stash.v = $null)` then logging it prints null (reported in
    aws-amplify/amplify-category-api#592): a null assignment replaces the old value."""
    template = '#set($v = "old")#set($v = $nothing)$util.isNull($v) '
    template += (
        '$util.qr($ctx.stash.put("k", 1))#set($ctx.stash.k = $nothing)$util.isNull($ctx.stash.k)'
    )
    assert vtl.text(template) == "true true"


# Velocity 1.7 as AppSync runs it, found by differential testing (issue 12). The quotes
# below are from github.com/apache/velocity-engine at tag 1.7, under
# src/java/org/apache/velocity/runtime/parser/node/ unless another file is named.


class Exploding:
    """A `$util`-like object whose every call is recorded, to see what was evaluated."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def touch(self, label: str) -> bool:
        self.calls.append(label)
        return True

    def fail(self) -> bool:
        raise AssertionError("the right operand must not be evaluated")


def test_and_does_not_evaluate_its_right_side_when_the_left_is_false(vtl):
    """ASTAndNode.evaluate: "short circuit the test.  Don't eval the RHS if the LHS is
    false"; airspeed evaluated both (right first), so `$l.size() > 1 && $l.get(1)` failed."""
    assert vtl.text("#set($l = [1])#if($l.size() > 1 && $l.get(1) == 2)yes#{else}no#end") == ("no")
    assert vtl.text("#set($b = false && $l.get(5))$b") == "false"
    assert vtl.text("#if($nothing && $nothing.get(0))yes#{else}no#end") == "no"


def test_or_does_not_evaluate_its_right_side_when_the_left_is_true(vtl):
    """ASTOrNode.evaluate: "if the left is not null and true, then true", before the
    right side is looked at."""
    assert vtl.text("#set($l = [])#if($l.isEmpty() || $l.get(0) == 1)yes#{else}no#end") == "yes"
    assert vtl.text("#set($b = true || $l.get(5))$b") == "true"


def test_operands_are_evaluated_left_to_right_across_precedence(vtl):
    """Velocity evaluates `a || b && c` as `a || (b && c)` and stops at a true `a`;
    airspeed reduced `b && c` first."""
    probe = Exploding()
    vtl_text = vtl.rendered(
        '#if($ctx.p.touch("a") || $ctx.p.fail() && $ctx.p.fail())yes#end'
        '#if($ctx.p.touch("b") && $ctx.p.touch("c") || $ctx.p.fail())!#end',
        p=probe,
    ).text
    assert vtl_text == "yes!"
    assert probe.calls == ["a", "b", "c"]


def test_short_circuit_keeps_the_real_dynamodb_error(vtl):
    """The template that showed the divergence: with two cancellation reasons (the room
    guard passed), `$reasons.size() > 2 && $reasons.get(2)...` must not index past the
    list, and the DynamoDB error is what the caller gets."""
    from pathlib import Path

    from emulator.vtl import UtilError

    template = (
        Path(__file__).resolve().parents[2] / "vtl/functions/msgSendWrite.response.vtl"
    ).read_text()
    with pytest.raises(UtilError) as raised:
        vtl.rendered(
            template,
            error={"message": "Transaction cancelled", "type": "TransactionCanceledException"},
            result={"cancellationReasons": [{"type": "None"}, {"type": "ConditionalCheckFailed"}]},
            arguments={"input": {"clientMessageId": "c1"}},
        )
    assert raised.value.message == "Transaction cancelled"
    assert raised.value.error_type == "TransactionCanceledException"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("[$nothing]", "[$nothing]"),
        ("[${nothing}]", "[${nothing}]"),
        ("[$ctx.args.missing]", "[$ctx.args.missing]"),
        ("[${ctx.args.missing}]", "[${ctx.args.missing}]"),
        ("[$nothing.size()]", "[$nothing.size()]"),
        ('[$ctx.args.get( "missing" )]', '[$ctx.args.get( "missing" )]'),
        ("[$!nothing]", "[]"),
        ("[$!{nothing}]", "[]"),
        ("[$!ctx.args.missing.deeper]", "[]"),
    ],
)
def test_null_reference_renders_its_literal_text(vtl, template, expected):
    """Velocity 1.7 user guide (xdocs/docs/user-guide.xml, Quiet Reference Notation):
    "When Velocity encounters an undefined reference, its normal behavior is to output
    the image of the reference" and with `$!email` "an empty string will be output".
    ASTReference.render writes `nullString = literal()`, the reference as written, and
    for a quiet reference sets `nullString = ""`."""
    assert vtl.text(template) == expected


def test_null_inside_an_interpolated_string_keeps_its_literal_text(vtl):
    """ASTStringLiteral.value renders its contents like template text, so a null
    reference in "..." is its image there too; `$!` still writes nothing."""
    assert vtl.text('#set($s = "id-$nothing")$s') == "id-$nothing"
    assert vtl.text('#set($s = "id-${nothing}")$s') == "id-${nothing}"
    assert vtl.text('#set($s = "id-$!nothing")$s') == "id-"
    assert vtl.value('{"k": $util.toJson("id-$ctx.args.x")}') == {"k": "id-$ctx.args.x"}


def test_string_plus_null_appends_the_operand_literal(vtl):
    """ASTAddNode.handleSpecial: when one operand is a String and the other null,
    `left = jjtGetChild(0).literal()` (or right), then the two are concatenated."""
    assert vtl.text('#set($s = "a" + $nothing)$s') == "a$nothing"
    assert vtl.text('#set($s = $ctx.args.x + "b")$s') == "$ctx.args.xb"
    assert vtl.text("#set($n = 1 + $nothing)[$!n]") == "[]"


def test_method_returning_null_renders_its_call_as_written(vtl):
    """ASTReference.render of `$map.put(...)` whose result is null (no previous value)
    writes the call's image: why AppSync templates wrap such calls in `$util.qr`."""
    assert vtl.text('#set($m = {})$m.put("k", 1)|$m.put("k", 2)') == '$m.put("k", 1)|1'
    assert vtl.text('#set($m = {})$util.qr($m.put("k", 1))$m') == "{k=1}"


def test_void_method_renders_nothing(vtl):
    """ASTMethod.execute: it returns "an empty string "" if the method returns void"
    (List.clear, List.add(int, E), Map.putAll, Map.clear), unlike a null result."""
    template = '#set($l = [1])#set($m = {})[$l.add(0, 2)$l.clear()$m.putAll({"a": 1})$m.clear()]'
    assert vtl.text(template) == "[]"


def test_util_quiet_helpers_and_log_render_nothing(vtl):
    """AppSync $util reference: `$util.qr`/`$util.quiet` "returns an empty String", and
    `$util.log.info` writes to CloudWatch, not into the template."""
    assert vtl.text('[$util.qr(1)$util.quiet(2)$util.log.info("x")$util.log.error("y")]') == "[]"


def test_set_to_null_then_rendering_gives_the_literal(vtl):
    """After `#set($v = $null)` the reference is null, so rendering it writes `$v`."""
    assert vtl.text('#set($v = "old")#set($v = $nothing)$v') == "$v"


@pytest.mark.parametrize(
    ("text", "trimmed"),
    [
        ("\x00\x01\x1f a \t\x7f", "a \t\x7f"),
        ("\x0b\x0cx\x1c\x1d\x1e\x1f", "x"),
        ("\u00a0x\u00a0", "\u00a0x\u00a0"),
        ("\u2003x\u3000", "\u2003x\u3000"),
        ("\u0085x", "\u0085x"),
        (" \x00 ", ""),
    ],
)
def test_trim_strips_every_char_up_to_space_and_nothing_above(vtl, text, trimmed):
    """java.lang.String.trim() (Java SE 11 API): "whitespace is defined as any character
    whose codepoint is less than or equal to 'U+0020' (the space character)"; U+007F,
    U+0085, U+00A0 and other Unicode spaces stay."""
    assert vtl.rendered("#set($t = $ctx.args.s.trim())$t", arguments={"s": text}).text == trimmed


def test_strip_and_blank_follow_character_is_whitespace(vtl):
    """Java 11 String.strip()/isBlank() use Character.isWhitespace: Unicode spaces
    except the no-break ones (U+00A0, U+2007, U+202F), plus tab, newline, VT, FF, CR and
    U+001C..U+001F; not NUL, not U+0085."""
    args = {"a": "\u2003 x\u3000\x1f", "b": "\u00a0", "c": "\x00", "d": "\u2028\t"}
    out = vtl.rendered(
        "[$ctx.args.a.strip()][$ctx.args.b.isBlank()][$ctx.args.c.isBlank()]"
        "[$ctx.args.d.isBlank()]",
        arguments=args,
    ).text
    assert out == "[x][false][false][true]"


LONE = "a\ud800b"


def test_lone_surrogate_is_one_utf16_unit(vtl):
    """java.lang.String: "A String represents a string in the UTF-16 format"; length()
    is "the number of Unicode code units". A lone surrogate (which a JSON "\\ud800"
    decodes to) is one unit; a character outside the BMP is two."""
    out = vtl.rendered(
        "$ctx.args.s.length() $ctx.args.e.length() $ctx.args.e.substring(0, 2).length()"
        " $ctx.args.e.indexOf('b') $ctx.args.s.indexOf('b')",
        arguments={"s": LONE, "e": "😀b"},
    ).text
    assert out == "3 3 2 2 2"


def test_splitting_a_pair_leaves_lone_surrogates_as_java_does(vtl):
    """charAt/substring index UTF-16 units: half of a pair is a lone surrogate."""
    rendered = vtl.rendered(
        '{"hi": $util.toJson($ctx.args.e.charAt(0)),'
        ' "rest": $util.toJson($ctx.args.e.substring(1))}',
        arguments={"e": "😀"},
    )
    assert rendered.value() == {"hi": "\ud83d", "rest": "\ude00"}


def test_to_json_escapes_a_lone_surrogate(vtl):
    """UTF-8 cannot encode a lone surrogate; Jackson's UTF-8 generator, which AppSync
    serialises JSON with, writes surrogate chars as \\uXXXX escapes
    (github.com/FasterXML/jackson-core/issues/223), and the value survives a round trip."""
    text = vtl.rendered(
        "$util.toJson($ctx.args.s)|$util.dynamodb.toDynamoDBJson($ctx.args.s)",
        arguments={"s": LONE},
    ).text
    assert text == '"a\\uD800b"|{"S":"a\\uD800b"}'
    text.encode("utf-8")
    assert vtl.rendered("$util.toJson($ctx.args.s)", arguments={"s": LONE}).value() == LONE


def test_lone_surrogate_through_every_string_helper(vtl):
    """No $util or String method fails on a lone surrogate: Java's UTF-8 encoder writes
    `?` for it (base64Encode, urlEncode), escapeJavaScript writes \\uD800; hashCode is
    s[0]*31^(n-1) + ... over UTF-16 units: (97 * 31 + 0xD800) * 31 + 98."""
    out = vtl.rendered(
        "$util.base64Encode($ctx.args.s) $util.urlEncode($ctx.args.s)"
        " $util.escapeJavaScript($ctx.args.s) $ctx.args.s.compareTo('a')"
        " $ctx.args.s.hashCode() $ctx.args.s.trim().length() $ctx.args.s.toUpperCase().length()",
        arguments={"s": LONE},
    ).text
    assert out == "YT9i a%3Fb a\\uD800b 2 1807491 3 3"


def test_evaluation_error_names_the_position_not_the_source(vtl):
    """A failing expression reports template, line and column; the template's source
    (airspeed quoted the whole failing directive) never reaches the caller."""
    template = '#set($secret = "s3cr3t-rule")\n#set($l = [])\n  $l.get(3)'
    with pytest.raises(TemplateError) as raised:
        vtl.text(template)
    message = str(raised.value)
    assert "line 3, column 3" in message
    assert "IndexError" in message
    assert "s3cr3t" not in message
    assert "$l.get" not in message
