/* The expression language: parsing text into a syntax tree (expr_parse.c).
 * Types, names and units are resolved later by the compiler (compile.c).
 *
 * Grammar, lowest precedence first:
 *   expr    := 'if' expr 'then' expr 'else' expr | or
 *   or      := and ( 'or' and )*
 *   and     := not ( 'and' not )*
 *   not     := 'not' not | cmp
 *   cmp     := sum ( ('==' | '!=' | '<' | '<=' | '>' | '>=') sum )?
 *            | sum 'not'? 'in' '[' ( expr ( ',' expr )* ','? )? ']'
 *   sum     := product ( ('+' | '-') product )*
 *   product := unary ( ('*' | '/') unary )*
 *   unary   := '-' unary | postfix
 *   postfix := primary
 *   primary := number unit? | string | 'true' | 'false' | name
 *            | name '(' ( expr ( ',' expr )* )? ')' | '(' expr ')'
 *            | name '(' name 'in' expr ( 'where' expr )? ')'
 *            | name '(' expr 'for' name 'in' expr ( 'where' expr )? ')'
 *                                                 over the elements of a list
 *            | name '[' expr ( ',' expr )? ']'    table lookup
 *   number  := digits ( '.' digits )? ( [eE] [+-]? digits )? '%'?
 *   unit    := '[' unit text ']'            e.g. 3 [亩], 0.3 [元/kWh]
 *   string  := '"' ... '"' with \" and \\ escapes
 *   name    := (letter | '_' | any byte >= 0x80) (letter | digit | '_' | '.' | byte >= 0x80)*
 * Comparison does not chain (a < b < c is an error). Keywords: if then else
 * and or not in true false; 'where' and 'for' only inside a call's
 * parentheses, after a list. A '%' right after a number divides it by 100
 * (2.3% is 0.023). */
#ifndef RB_EXPR_H
#define RB_EXPR_H

#include "arena.h"
#include "decimal.h"

#include <stddef.h>
#include <stdint.h>

typedef enum rb_expr_kind {
	RB_EX_NUMBER = 1,  /* num, unit_text/unit_len if a [unit] followed */
	RB_EX_STRING,      /* text/len (escapes resolved) */
	RB_EX_BOOL,        /* boolean */
	RB_EX_NAME,        /* text/len */
	RB_EX_NEG,         /* -a */
	RB_EX_NOT,         /* not a */
	RB_EX_BINARY,      /* a op b */
	RB_EX_IF,          /* if a then b else c */
	RB_EX_IN,          /* a in [args], negated for 'not in' */
	RB_EX_CALL,        /* text/len is the function name; args */
	RB_EX_INDEX,       /* table lookup: text/len is the table; args the keys */
	RB_EX_EACH         /* f(var in a where b) or f(c for var in a where b): text/len
			    * is the function; b (the condition) and c (the value per
			    * element) may be NULL; var names the element */
} rb_expr_kind;

typedef enum rb_binop {
	RB_OP_ADD = 1, RB_OP_SUB, RB_OP_MUL, RB_OP_DIV,
	RB_OP_EQ, RB_OP_NE, RB_OP_LT, RB_OP_LE, RB_OP_GT, RB_OP_GE,
	RB_OP_AND, RB_OP_OR
} rb_binop;

typedef struct rb_expr rb_expr;
struct rb_expr {
	rb_expr_kind kind;
	rb_binop op;             /* RB_EX_BINARY */
	uint32_t offset;         /* byte offset of the node's first character */
	uint32_t length;         /* bytes it spans in the source */
	uint32_t op_offset;      /* RB_EX_BINARY: byte offset of the operator */
	rb_dec num;              /* RB_EX_NUMBER */
	int percent;             /* RB_EX_NUMBER written with '%' (num already /100) */
	const char *text;        /* NAME, CALL: the name; STRING: the value (NUL-terminated) */
	size_t len;
	const char *unit_text;   /* RB_EX_NUMBER with [unit]: the text inside the brackets */
	size_t unit_len;
	uint32_t unit_offset;    /* byte offset of the unit text */
	int boolean;             /* RB_EX_BOOL */
	int negated;             /* RB_EX_IN: 'not in' */
	rb_expr *a, *b, *c;      /* operands */
	rb_expr **args;          /* CALL arguments, IN list */
	uint32_t nargs;
	const char *var;         /* RB_EX_EACH: the element's name (NUL-terminated) */
	size_t var_len;
	uint32_t var_offset;
};

typedef struct rb_expr_error {
	uint32_t offset;         /* byte offset of the problem */
	int limit;               /* nonzero when a limit (depth or length) was exceeded */
	char message[160];       /* "expected ')' to close '(' at column 4", ... */
} rb_expr_error;

/* Parse src[0..len) into a tree allocated in arena. max_depth bounds the
 * nesting (parentheses, operators, calls: the parser must not recurse
 * deeper than that, so hostile input cannot exhaust the stack) and
 * max_length the text. Returns 0 and *out, or -1 and *err. Allocation
 * failure is -1 with the message "out of memory". */
int rb_expr_parse(rb_arena *arena, const char *src, size_t len, uint32_t max_depth,
		  uint32_t max_length, rb_expr **out, rb_expr_error *err);

#endif
