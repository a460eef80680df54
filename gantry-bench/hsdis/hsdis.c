/*
 * A HotSpot disassembler plugin (the hsdis interface of -XX:+PrintAssembly) over the Capstone library, so that
 * C2's code for a kernel can be read on a machine without the JDK's own hsdis build. See ../README.md.
 */
#include <capstone/capstone.h>
#include <stdint.h>

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  void *(*event_callback)(void *, const char *, void *), void *event_stream,
                                  int (*printf_callback)(void *, const char *, ...), void *printf_stream,
                                  const char *options, int newline) {
    csh handle;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
        return NULL;
    }
    cs_insn *insn;
    size_t count = cs_disasm(handle, buffer, length, start_va, 0, &insn);
    for (size_t i = 0; i < count; i++) {
        (*event_callback)(event_stream, "insn", (void *) insn[i].address);
        (*printf_callback)(printf_stream, "%s\t%s", insn[i].mnemonic, insn[i].op_str);
        (*event_callback)(event_stream, "/insn", (void *) (insn[i].address + insn[i].size));
        if (newline) {
            (*printf_callback)(printf_stream, "\n");
        }
    }
    if (count > 0) {
        cs_free(insn, count);
    }
    cs_close(&handle);
    return NULL;
}
