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
    cs_insn *insn = cs_malloc(handle);
    const uint8_t *code = buffer;
    size_t size = length;
    uint64_t address = start_va;
    while (size > 0) {
        uint64_t at = address;
        if (cs_disasm_iter(handle, &code, &size, &address, insn)) {
            (*event_callback)(event_stream, "insn", (void *) (uintptr_t) at);
            (*printf_callback)(printf_stream, "%s\t%s", insn->mnemonic, insn->op_str);
            (*event_callback)(event_stream, "/insn", (void *) (uintptr_t) address);
        } else {
            // an instruction this Capstone does not know (older builds lack some AVX-512 forms): show its first
            // byte and go on, rather than ending the listing there
            (*event_callback)(event_stream, "insn", (void *) (uintptr_t) at);
            (*printf_callback)(printf_stream, ".byte\t0x%02x", *code);
            code++;
            size--;
            address++;
            (*event_callback)(event_stream, "/insn", (void *) (uintptr_t) address);
        }
        if (newline) {
            (*printf_callback)(printf_stream, "\n");
        }
    }
    cs_free(insn, 1);
    cs_close(&handle);
    return NULL;
}
