/* Optional C accelerator for WorkCalendar.add_workdays (see calendar._fast_add_workdays).
 *
 * FastAdd(after, general) is a callable doing exactly what the pure-Python closure in
 * calendar._fast_add_workdays does:
 *
 *     if n.__class__ is int and n > 0:
 *         try:
 *             return after[d][n]
 *         except (KeyError, IndexError, TypeError):
 *             pass
 *     return general(d, n)
 *
 * `after` maps a date to the tuple of the working days after it; `general` is the bound
 * WorkCalendar.add_workdays. Calls use vectorcall (no argument tuple). Keyword calls and any
 * other argument count go straight to `general`, which accepts or rejects them as it does.
 * The module is optional: when it is not built, calendar.py uses the closure.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stddef.h>

typedef struct {
    PyObject_HEAD
    PyObject *after;    /* dict: date -> tuple of dates */
    PyObject *general;  /* callable(d, n) */
    PyObject *dict;     /* instance __dict__ (for a per-instance __doc__) */
    vectorcallfunc vectorcall;
} FastAddObject;

/* the exceptions the closure's `except` clause swallows */
static int
swallowed_error(void)
{
    return PyErr_ExceptionMatches(PyExc_KeyError)
        || PyErr_ExceptionMatches(PyExc_IndexError)
        || PyErr_ExceptionMatches(PyExc_TypeError);
}

static PyObject *
FastAdd_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    FastAddObject *self = (FastAddObject *)callable;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);

    if (nargs == 2 && kwnames == NULL) {
        PyObject *n = args[1];
        if (PyLong_CheckExact(n)) {
            int overflow = 0;
            long k = PyLong_AsLongAndOverflow(n, &overflow);
            if (k == -1 && !overflow && PyErr_Occurred()) {
                return NULL;  /* cannot happen for an exact int; be safe */
            }
            /* overflow > 0: a huge positive n, never inside a tuple: the closure's IndexError */
            if (!overflow && k > 0) {
                PyObject *row = PyDict_GetItemWithError(self->after, args[0]);  /* borrowed */
                if (row == NULL) {
                    if (PyErr_Occurred()) {
                        if (!swallowed_error()) {
                            return NULL;  /* e.g. a __hash__ raising ValueError: propagate */
                        }
                        PyErr_Clear();  /* an unhashable d */
                    }
                    /* missing key: fall through to general */
                }
                else if (PyTuple_CheckExact(row)) {
                    if ((size_t)k < (size_t)PyTuple_GET_SIZE(row)) {
                        PyObject *r = PyTuple_GET_ITEM(row, k);
                        Py_INCREF(r);
                        return r;
                    }
                    /* past the tuple's end: fall through to general */
                }
                else {
                    /* not built by calendar.py; index it the way the closure would */
                    PyObject *r = PyObject_GetItem(row, n);
                    if (r != NULL) {
                        return r;
                    }
                    if (!swallowed_error()) {
                        return NULL;
                    }
                    PyErr_Clear();
                }
            }
        }
    }
    return PyObject_Vectorcall(self->general, args, nargsf, kwnames);
}

static PyObject *
FastAdd_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"after", "general", NULL};
    PyObject *after, *general;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO:FastAdd", kwlist, &after, &general)) {
        return NULL;
    }
    if (!PyDict_CheckExact(after)) {  /* a subclass could override __getitem__/__missing__ */
        PyErr_SetString(PyExc_TypeError, "FastAdd: after must be a dict");
        return NULL;
    }
    if (!PyCallable_Check(general)) {
        PyErr_SetString(PyExc_TypeError, "FastAdd: general must be callable");
        return NULL;
    }
    FastAddObject *self = (FastAddObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    Py_INCREF(after);
    self->after = after;
    Py_INCREF(general);
    self->general = general;
    self->dict = NULL;
    self->vectorcall = FastAdd_vectorcall;
    return (PyObject *)self;
}

static int
FastAdd_traverse(FastAddObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->after);
    Py_VISIT(self->general);
    Py_VISIT(self->dict);
    return 0;
}

static int
FastAdd_clear(FastAddObject *self)
{
    Py_CLEAR(self->after);
    Py_CLEAR(self->general);
    Py_CLEAR(self->dict);
    return 0;
}

static void
FastAdd_dealloc(FastAddObject *self)
{
    PyObject_GC_UnTrack(self);
    FastAdd_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
FastAdd_repr(FastAddObject *self)
{
    if (self->general == NULL) {
        return PyUnicode_FromString("<FastAdd (cleared)>");
    }
    return PyUnicode_FromFormat("<FastAdd over %zd days for %R>",
                                PyDict_GET_SIZE(self->after), self->general);
}

static PyMemberDef FastAdd_members[] = {
    {"after", T_OBJECT, offsetof(FastAddObject, after), READONLY,
     "dict: a date -> the tuple of the working days after it (index i: the i-th)"},
    {"general", T_OBJECT, offsetof(FastAddObject, general), READONLY,
     "the general add_workdays every other call goes to"},
    {NULL}
};

static PyGetSetDef FastAdd_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {NULL}
};

PyDoc_STRVAR(FastAdd_doc,
"FastAdd(after, general)\n"
"--\n"
"\n"
"A callable (d, n) equal to\n"
"\n"
"    if n.__class__ is int and n > 0:\n"
"        try:\n"
"            return after[d][n]\n"
"        except (KeyError, IndexError, TypeError):\n"
"            pass\n"
"    return general(d, n)\n"
"\n"
"the hot path of WorkCalendar.add_workdays (see zhengwu.rulebook.calendar).\n"
"Keyword calls go to general unchanged.");

static PyTypeObject FastAdd_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "zhengwu.rulebook._fastcal.FastAdd",
    .tp_basicsize = sizeof(FastAddObject),
    .tp_itemsize = 0,
    .tp_dealloc = (destructor)FastAdd_dealloc,
    .tp_vectorcall_offset = offsetof(FastAddObject, vectorcall),
    .tp_repr = (reprfunc)FastAdd_repr,
    .tp_call = PyVectorcall_Call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = FastAdd_doc,
    .tp_traverse = (traverseproc)FastAdd_traverse,
    .tp_clear = (inquiry)FastAdd_clear,
    .tp_members = FastAdd_members,
    .tp_getset = FastAdd_getset,
    .tp_dictoffset = offsetof(FastAddObject, dict),
    .tp_new = FastAdd_new,
};

PyDoc_STRVAR(module_doc,
"Optional C accelerator for zhengwu.rulebook.calendar: FastAdd, the add_workdays hot path.\n"
"calendar.py falls back to a pure-Python closure with the same behaviour when this module is\n"
"not built.");

static struct PyModuleDef fastcal_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "zhengwu.rulebook._fastcal",
    .m_doc = module_doc,
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__fastcal(void)
{
    if (PyType_Ready(&FastAdd_Type) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&fastcal_module);
    if (m == NULL) {
        return NULL;
    }
    Py_INCREF(&FastAdd_Type);
    if (PyModule_AddObject(m, "FastAdd", (PyObject *)&FastAdd_Type) < 0) {
        Py_DECREF(&FastAdd_Type);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
