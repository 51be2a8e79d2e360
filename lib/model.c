/* model.c */
typedef int rb_stub_model;
