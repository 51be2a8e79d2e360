/* sha256.c */
typedef int rb_stub_sha256;
