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
