/* rulebook._speedups: Rulebook.evaluate(record) in compiled code.
 *
 * An optional accelerator of the Python binding. It does what
 * rulebook/_packed.py does in Python for a dict record -- pack every value
 * into the thread's buffer as include/rulebook.h lays packed records out,
 * then make the one rulebook_eval_packed_scored (or rulebook_eval_packed)
 * call -- with the same checks, the same bytes and the same outcomes, so
 * the binding uses either. The library's function is called through the
 * address ctypes resolved in the library the binding loaded
 * (RULEBOOK_LIBRARY or the system's): this module links nothing but
 * Python, and never a second copy of the library.
 *
 * Evaluator(fn, rb, facts, res, err, buf, base, fixed, n, out_len, index,
 *           decimal_type, decimal_text)
 *     fn, rb, facts, res, err: addresses (int) of the call and its C
 *     objects; buf: the thread's bytearray (results at 0, the record at
 *     base); fixed: rulebook_packed_record_size; n: the number of inputs;
 *     index: input name -> slot; decimal_text(d, name): the text of a
 *     Decimal, raising the binding's error for one that is not finite.
 *
 * Evaluator.calls
 *     How many calls into the library run() has made (the tests count them).
 *
 * Evaluator.run(record, as_of) -> int
 *     The end of the record in buf when the call succeeded; the negated
 *     status when the library refused the record (its error in err); None
 *     when a value needs the typed setters (a type the buffer cannot carry,
 *     text that is not valid UTF-8, more text than the buffer holds) or
 *     Python code of the caller's (a key of a subclass of str, an "_id"
 *     that is not a str, int, float or Decimal): the binding's typed
 *     setters take such a record. KeyError(key) for a key that is not an
 *     input (keys starting with "_" other than "_id" are skipped), as
 *     _packed.Packer.pack raises it.
 *
 * No Python code of the caller's runs while run() packs: keys are exact
 * str (their hashing and comparison are the interpreter's own), values are
 * converted only from exact built-in types (and Decimal, by the binding's
 * own function). So the record cannot change under the borrowed references
 * PyDict_Next hands out, and run() never re-enters the binding while the
 * binding holds the thread's lock around it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <stdint.h>
#include <string.h>

#include "rulebook.h" /* the types only: nothing of the library is linked */

/* The type of rulebook_eval_packed and rulebook_eval_packed_scored, which
 * share one signature; the call goes through the address ctypes found. */
typedef rulebook_status (*eval_packed_fn)(const rulebook *rb, rulebook_facts *facts,
					  const void *record, size_t len, int32_t as_of,
					  rulebook_result *res, void *out, size_t out_len,
					  rulebook_error *err);

enum { TAG_MISSING = 0, TAG_DOUBLE = 1, TAG_TEXT = 2, TAG_DECIMAL = 3, TAG_BOOL = 4 };

typedef struct {
	PyObject_HEAD
	eval_packed_fn fn;
	const rulebook *rb;
	rulebook_facts *facts;
	rulebook_result *res;
	rulebook_error *err;
	PyObject *buf;		/* bytearray */
	PyObject *index;	/* dict: name -> slot */
	PyObject *decimal_type;
	PyObject *decimal_text;
	Py_ssize_t base, fixed, n, out_len;
	Py_ssize_t calls; /* library calls made (read-only attribute "calls") */
	/* per slot, for one record: the value (a new reference) and its tag;
	 * used: the slots set, in the record's order */
	PyObject **vals, **keys;
	unsigned char *kinds;
	Py_ssize_t *used;
} Evaluator;

static void *address(PyObject *o)
{
	return o == Py_None ? NULL : PyLong_AsVoidPtr(o);
}

static int evaluator_init(Evaluator *self, PyObject *args, PyObject *kwds)
{
	PyObject *fn, *rb, *facts, *res, *err, *buf, *index, *dtype, *dtext;
	Py_ssize_t base, fixed, n, out_len;
	static char *kw[] = {"fn", "rb", "facts", "res", "err", "buf", "base", "fixed", "n",
			     "out_len", "index", "decimal_type", "decimal_text", NULL};
	if (self->buf) {
		PyErr_SetString(PyExc_TypeError, "an Evaluator is initialised once");
		return -1;
	}
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOO!nnnnO!OO", kw, &fn, &rb, &facts,
					 &res, &err, &PyByteArray_Type, &buf, &base, &fixed, &n,
					 &out_len, &PyDict_Type, &index, &dtype, &dtext))
		return -1;
	self->fn = (eval_packed_fn)(uintptr_t)address(fn);
	self->rb = address(rb);
	self->facts = address(facts);
	self->res = address(res);
	self->err = address(err);
	if (PyErr_Occurred())
		return -1;
	if (!self->fn || !self->rb || !self->facts || !self->res || n < 0 || base < out_len ||
	    out_len < 0 || fixed != 9 * (n + 1) || base + fixed > PyByteArray_GET_SIZE(buf) ||
	    PyByteArray_GET_SIZE(buf) - base > (Py_ssize_t)UINT32_MAX) {
		PyErr_SetString(PyExc_ValueError, "Evaluator: inconsistent layout or NULL pointer");
		return -1;
	}
	self->vals = PyMem_Calloc((size_t)n + 1, sizeof *self->vals);
	self->keys = PyMem_Calloc((size_t)n + 1, sizeof *self->keys);
	self->kinds = PyMem_Calloc((size_t)n + 1, 1);
	self->used = PyMem_Calloc((size_t)n + 1, sizeof *self->used);
	if (!self->vals || !self->keys || !self->kinds || !self->used) {
		PyErr_NoMemory();
		return -1;
	}
	Py_INCREF(buf);
	self->buf = buf;
	Py_INCREF(index);
	self->index = index;
	Py_INCREF(dtype);
	self->decimal_type = dtype;
	Py_INCREF(dtext);
	self->decimal_text = dtext;
	self->base = base;
	self->fixed = fixed;
	self->n = n;
	self->out_len = out_len;
	return 0;
}

static void evaluator_dealloc(Evaluator *self)
{
	Py_XDECREF(self->buf);
	Py_XDECREF(self->index);
	Py_XDECREF(self->decimal_type);
	Py_XDECREF(self->decimal_text);
	PyMem_Free(self->vals);
	PyMem_Free(self->keys);
	PyMem_Free(self->kinds);
	PyMem_Free(self->used);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

/* The tag a value takes in the slot of an input, or -1 when the buffer
 * cannot carry it (the typed setters take the record); as _packed._plan. */
static int input_kind(Evaluator *self, PyObject *v)
{
	PyTypeObject *t = Py_TYPE(v);
	if (t == &PyFloat_Type)
		return TAG_DOUBLE;
	if (t == &PyBool_Type)
		return TAG_BOOL;
	if (t == &PyUnicode_Type)
		return TAG_TEXT;
	if (t == &PyLong_Type || (PyObject *)t == self->decimal_type)
		return TAG_DECIMAL;
	if (v == Py_None)
		return TAG_MISSING;
	return -1;
}

/* KeyError(key), with key as its one argument even when it is a tuple. */
static void key_error(PyObject *key)
{
	PyObject *e = PyObject_CallOneArg(PyExc_KeyError, key);
	if (e) {
		PyErr_SetObject(PyExc_KeyError, e);
		Py_DECREF(e);
	}
}

/* Pass 1: every key and the kind of every value, in the record's order
 * (the first key that is not an input raises KeyError; the first value
 * the buffer cannot carry makes the record go to the typed setters).
 * Returns the number of slots set, -1 on error, -2 for the typed setters. */
static Py_ssize_t collect(Evaluator *self, PyObject *record)
{
	Py_ssize_t pos = 0, nused = 0;
	PyObject *key, *v;
	while (PyDict_Next(record, &pos, &key, &v)) {
		Py_ssize_t slot;
		int kind;
		if (!PyUnicode_CheckExact(key)) {
			if (PyUnicode_Check(key))
				return -2; /* its __hash__ and __eq__ may be Python code */
			key_error(key);
			return -1;
		}
		if (PyUnicode_GET_LENGTH(key) > 0 && PyUnicode_READ_CHAR(key, 0) == '_') {
			if (v == Py_None || PyUnicode_CompareWithASCIIString(key, "_id") != 0)
				continue;
			slot = self->n;
			kind = TAG_TEXT; /* str(value) */
			PyTypeObject *t = Py_TYPE(v);
			if (t != &PyUnicode_Type && t != &PyLong_Type && t != &PyFloat_Type &&
			    t != &PyBool_Type && (PyObject *)t != self->decimal_type)
				return -2; /* its __str__ may be Python code */
		} else {
			PyObject *at = PyDict_GetItemWithError(self->index, key);
			if (!at) {
				if (!PyErr_Occurred())
					key_error(key);
				return -1;
			}
			slot = PyLong_AsSsize_t(at);
			if (slot < 0 || slot >= self->n) {
				if (!PyErr_Occurred())
					PyErr_SetString(PyExc_ValueError, "input index out of range");
				return -1;
			}
			kind = input_kind(self, v);
			if (kind < 0)
				return -2;
			if (kind == TAG_MISSING)
				continue;
		}
		if (self->vals[slot])
			return -2; /* two keys for one input: not from an exact dict */
		Py_INCREF(v);
		self->vals[slot] = v;
		Py_INCREF(key);
		self->keys[slot] = key;
		self->kinds[slot] = (unsigned char)kind;
		self->used[nused++] = slot;
	}
	return nused;
}

/* The text of the value in slot (a new reference), as _packed converts it:
 * str as it is, "_id" by str(), an int by str(), a Decimal by decimal_text. */
static PyObject *slot_text(Evaluator *self, Py_ssize_t slot)
{
	PyObject *v = self->vals[slot];
	if (slot == self->n || Py_TYPE(v) == &PyLong_Type)
		return PyObject_Str(v);
	if (Py_TYPE(v) == &PyUnicode_Type) {
		Py_INCREF(v);
		return v;
	}
	return PyObject_CallFunctionObjArgs(self->decimal_text, v, self->keys[slot], NULL);
}

/* Drop the values and keys collected for a record. */
static void release(Evaluator *self)
{
	for (Py_ssize_t s = 0; s <= self->n; s++) {
		Py_CLEAR(self->vals[s]);
		Py_CLEAR(self->keys[s]);
	}
}

static void sort_slots(Py_ssize_t *used, Py_ssize_t n)
{
	for (Py_ssize_t i = 1; i < n; i++) {
		Py_ssize_t s = used[i], j = i;
		for (; j > 0 && used[j - 1] > s; j--)
			used[j] = used[j - 1];
		used[j] = s;
	}
}

static void store_u32(unsigned char *p, uint32_t off, uint32_t len)
{
	memcpy(p, &off, 4);
	memcpy(p + 4, &len, 4);
}

static PyObject *evaluator_run(Evaluator *self, PyObject *const *args, Py_ssize_t nargs)
{
	if (!self->buf) {
		PyErr_SetString(PyExc_TypeError, "Evaluator not initialised");
		return NULL;
	}
	if (nargs != 2 || !PyDict_CheckExact(args[0])) {
		PyErr_SetString(PyExc_TypeError, "run(record: dict, as_of: int)");
		return NULL;
	}
	PyObject *record = args[0];
	long as_of = PyLong_AsLong(args[1]);
	if (as_of == -1 && PyErr_Occurred())
		return NULL;
	if (as_of < INT32_MIN || as_of > INT32_MAX) {
		PyErr_SetString(PyExc_OverflowError, "as_of out of range");
		return NULL;
	}

	Py_ssize_t nused = collect(self, record);
	if (nused < 0) {
		release(self);
		if (nused == -2)
			Py_RETURN_NONE;
		return NULL;
	}

	/* Pass 2, in slot order: the slots, and the texts after the fixed part
	 * (in slot order, as _packed lays them out). Every conversion runs
	 * before a record is sent to the typed setters for its text, so that
	 * the same error comes first. */
	sort_slots(self->used, nused);
	unsigned char *buf = (unsigned char *)PyByteArray_AS_STRING(self->buf);
	Py_ssize_t size = PyByteArray_GET_SIZE(self->buf);
	unsigned char *rec = buf + self->base;
	unsigned char *tags = rec + 8 * (self->n + 1);
	memset(rec, 0, (size_t)self->fixed);
	Py_ssize_t tp = self->fixed; /* from the start of the record */
	Py_ssize_t room = size - self->base;
	int setters = 0, failed = 0;
	for (Py_ssize_t i = 0; i < nused; i++) {
		Py_ssize_t s = self->used[i];
		PyObject *v = self->vals[s];
		unsigned char kind = self->kinds[s];
		tags[s] = kind;
		if (kind == TAG_DOUBLE || kind == TAG_BOOL) {
			double d = kind == TAG_BOOL ? (v == Py_True ? 1.0 : 0.0) : PyFloat_AS_DOUBLE(v);
			memcpy(rec + 8 * s, &d, 8);
			continue;
		}
		PyObject *t = slot_text(self, s);
		if (!t) {
			failed = 1;
			break;
		}
		Py_ssize_t len;
		const char *u = PyUnicode_Check(t) ? PyUnicode_AsUTF8AndSize(t, &len) : NULL;
		if (!u) {
			if (!PyUnicode_Check(t)) {
				PyErr_Format(PyExc_TypeError, "__str__ returned non-string (type %.200s)",
					     Py_TYPE(t)->tp_name);
			} else if (PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) {
				/* a lone surrogate: the typed setters say so */
				PyErr_Clear();
				setters = 1;
				Py_DECREF(t);
				continue;
			}
			Py_DECREF(t);
			failed = 1;
			break;
		}
		if (!setters && len <= room - tp) {
			memcpy(rec + tp, u, (size_t)len);
			store_u32(rec + 8 * s, (uint32_t)tp, (uint32_t)len);
			tp += len;
		} else {
			setters = 1; /* more text than the buffer holds */
		}
		Py_DECREF(t);
	}
	release(self);
	if (failed)
		return NULL;
	if (setters)
		Py_RETURN_NONE;

	rulebook_status rc;
	self->calls++;
	Py_BEGIN_ALLOW_THREADS
	rc = self->fn(self->rb, self->facts, rec, (size_t)tp, (int32_t)as_of, self->res, buf,
		      (size_t)self->out_len, self->err);
	Py_END_ALLOW_THREADS
	return PyLong_FromSsize_t(rc ? -(Py_ssize_t)rc : self->base + tp);
}

static PyMethodDef evaluator_methods[] = {
	{"run", (PyCFunction)(void (*)(void))evaluator_run, METH_FASTCALL,
	 "run(record, as_of): pack the dict and evaluate it in one library call."},
	{NULL, NULL, 0, NULL},
};

static PyMemberDef evaluator_members[] = {
	{"calls", T_PYSSIZET, offsetof(Evaluator, calls), READONLY,
	 "How many calls into the library run() has made."},
	{NULL, 0, 0, 0, NULL},
};

static PyTypeObject EvaluatorType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "rulebook._speedups.Evaluator",
	.tp_basicsize = sizeof(Evaluator),
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "Packs dict records and evaluates them, one library call each.",
	.tp_new = PyType_GenericNew,
	.tp_init = (initproc)evaluator_init,
	.tp_dealloc = (destructor)evaluator_dealloc,
	.tp_methods = evaluator_methods,
	.tp_members = evaluator_members,
};

static struct PyModuleDef speedups_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "rulebook._speedups",
	.m_doc = "Compiled packing for Rulebook.evaluate (optional; see rulebook/_packed.py).",
	.m_size = -1,
};

PyMODINIT_FUNC PyInit__speedups(void); /* the module's one exported symbol */
PyMODINIT_FUNC PyInit__speedups(void)
{
	if (PyType_Ready(&EvaluatorType) < 0)
		return NULL;
	PyObject *m = PyModule_Create(&speedups_module);
	if (!m)
		return NULL;
	Py_INCREF(&EvaluatorType);
	if (PyModule_AddObject(m, "Evaluator", (PyObject *)&EvaluatorType) < 0) {
		Py_DECREF(&EvaluatorType);
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
