"""Barriers between kernel threads (replicas.py): acquire/release flags and a spin-wait hint.

Numba has no atomics for array elements, and a plain load of a flag in a wait loop may be hoisted
out of the loop by LLVM.  ``load_acquire``/``store_release`` emit LLVM atomic accesses (a plain
``mov`` on x86, ordered with the surrounding loads and stores), so a thread that sees the flag
also sees everything written before it was set.
"""
import platform

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

_X86 = platform.machine().lower() in ("x86_64", "amd64", "i386", "i686")
_POSIX = platform.system() != "Windows"


def _element_pointer(context, builder, aryty, ary, idx):
    arr = context.make_array(aryty)(context, builder, ary)
    return cgutils.get_item_pointer(context, builder, aryty, arr, [idx], wraparound=False)


@intrinsic
def load_acquire(typingctx, ary, idx):
    """``ary[idx]`` (a 1-D int64 array) read with acquire ordering."""
    if not (isinstance(ary, types.Array) and ary.dtype == types.int64 and isinstance(idx, types.Integer)):
        return None

    def codegen(context, builder, signature, args):
        ptr = _element_pointer(context, builder, signature.args[0], args[0],
                               context.cast(builder, args[1], signature.args[1], types.intp))
        return builder.load_atomic(ptr, "acquire", 8)
    return types.int64(ary, idx), codegen


@intrinsic
def store_release(typingctx, ary, idx, value):
    """``ary[idx] = value`` (a 1-D int64 array) written with release ordering."""
    if not (isinstance(ary, types.Array) and ary.dtype == types.int64 and isinstance(idx, types.Integer)
            and isinstance(value, types.Integer)):
        return None

    def codegen(context, builder, signature, args):
        ptr = _element_pointer(context, builder, signature.args[0], args[0],
                               context.cast(builder, args[1], signature.args[1], types.intp))
        val = context.cast(builder, args[2], signature.args[2], types.int64)
        builder.store_atomic(val, ptr, "release", 8)
        return context.get_dummy_value()
    return types.none(ary, idx, value), codegen


@intrinsic
def cpu_relax(typingctx):
    """The spin-wait hint (``pause`` on x86, nothing elsewhere): a spinning core yields the
    pipeline to its sibling hyper-thread and leaves the loop without a memory-order flush."""
    def codegen(context, builder, signature, args):
        if _X86:
            fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), []),
                                                "llvm.x86.sse2.pause")
            builder.call(fn, [])
        return context.get_dummy_value()
    return types.none(), codegen


@intrinsic
def yield_cpu(typingctx):
    """``sched_yield()`` (POSIX; nothing elsewhere): let another runnable thread have this core.
    A barrier's waiter calls it once spinning has not paid off, for when the threads it waits for
    are not running: more busy threads than cores (two jobs training at once) made a spinning
    waiter burn its whole time slice while the partner it waited for sat in the run queue."""
    def codegen(context, builder, signature, args):
        if _POSIX:
            fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.IntType(32), []),
                                                "sched_yield")
            builder.call(fn, [])
        return context.get_dummy_value()
    return types.none(), codegen
