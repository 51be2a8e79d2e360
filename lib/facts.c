/* facts.c */
typedef int rb_stub_facts;
