/* output_json.c */
typedef int rb_stub_output_json;
