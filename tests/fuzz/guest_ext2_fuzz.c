/* libFuzzer target: the guest kernel's ext2 checks (guest/fs/ext2/check.c,
 * compiled for the host) on hostile volumes, walked the way the kernel
 * walks them when it mounts one and looks a name up.
 *
 * The volume is a small valid one (64 blocks of 1 KiB: the super block at
 * block 1, one group descriptor block, the bitmaps, a 2-block inode table,
 * the root directory's block) with the input's patches laid over it: each
 * patch is u16 offset, u8 length, then that many bytes. Then, as mount and
 * lookup do: check the super block; read each group descriptor and check
 * it; find the root inode's block and offset; read its direct blocks that
 * lie on the volume and walk each directory block's entries while
 * ext2_dir_entry_ok says they are sane, reading each name. Each block is
 * its own 1 KiB allocation, so ASan sees any read past one; the
 * arithmetic's results are checked too (abort). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/guest_host.h"

#define BS 1024u
#define NBLOCKS 64u

static uint8_t *blocks[NBLOCKS];

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

/* The valid volume: 63 blocks after block 0, one group of 16 inodes. */
static void make_volume(void)
{
    for (unsigned b = 0; b < NBLOCKS; b++)
        memset(blocks[b], 0, BS);
    uint8_t *sb = blocks[1];
    put32(sb + 0, 16);          /* s_inodes_count */
    put32(sb + 4, NBLOCKS);     /* s_blocks_count */
    put32(sb + 12, 40);         /* s_free_blocks_count */
    put32(sb + 16, 4);          /* s_free_inodes_count */
    put32(sb + 20, 1);          /* s_first_data_block */
    put32(sb + 32, 8192);       /* s_blocks_per_group */
    put32(sb + 40, 16);         /* s_inodes_per_group */
    put16(sb + 56, 0xEF53);     /* s_magic */
    put16(sb + 58, 1);          /* s_state */
    put32(sb + 76, 1);          /* s_rev_level */
    put32(sb + 84, 11);         /* s_first_ino */
    put16(sb + 88, 128);        /* s_inode_size */
    put32(sb + 96, 2);          /* s_feature_incompat: filetype */
    uint8_t *gd = blocks[2];
    put32(gd + 0, 3);           /* bg_block_bitmap */
    put32(gd + 4, 4);           /* bg_inode_bitmap */
    put32(gd + 8, 5);           /* bg_inode_table: blocks 5, 6 */
    uint8_t *root = blocks[5] + 128;    /* inode 2 */
    put16(root + 0, 0x41ED);    /* i_mode: directory */
    put32(root + 4, BS);        /* i_size */
    put16(root + 26, 2);        /* i_links_count */
    put32(root + 40, 8);        /* i_block[0] */
    uint8_t *d = blocks[8];     /* ".", "..", "hello" */
    put32(d + 0, 2); put16(d + 4, 12); d[6] = 1; d[7] = 2; d[8] = '.';
    put32(d + 12, 2); put16(d + 16, 12); d[18] = 2; d[19] = 2; d[20] = '.'; d[21] = '.';
    put32(d + 24, 12); put16(d + 28, BS - 24); d[30] = 5; d[31] = 1; memcpy(d + 32, "hello", 5);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!blocks[0])
        for (unsigned b = 0; b < NBLOCKS; b++)
            blocks[b] = malloc(BS);     /* one allocation a block: ASan sees overreads */
    make_volume();
    for (size_t i = 0; i + 3 <= size;) {        /* the patches */
        uint32_t off = (data[i] | data[i + 1] << 8) % (NBLOCKS * BS);
        size_t len = data[i + 2];
        i += 3;
        for (size_t k = 0; k < len && i < size; k++, i++, off = (off + 1) % (NBLOCKS * BS))
            blocks[off / BS][off % BS] = data[i];
    }
    const uint8_t *sb = blocks[1];
    struct guest_ext2_geom g;
    if (guest_ext2_check_super(sb, NBLOCKS * 2, &g) != 0)
        return 0;
    uint32_t blocks_count = guest_ext2_sb_blocks_count(sb);
    if (blocks_count > NBLOCKS || g.groups_count == 0 || g.inodes_per_block == 0 || g.desc_per_block == 0)
        abort();                        /* the device holds NBLOCKS blocks: mount read past it */
    /* the group descriptors: blocks first_data_block + 1 + i */
    uint32_t db = (g.groups_count + g.desc_per_block - 1) / g.desc_per_block;
    for (uint32_t i = 0; i < db; i++)
        if (g.first_data_block + 1 + i >= NBLOCKS)
            return 0;                   /* bread fails: mount refuses */
    for (uint32_t grp = 0; grp < g.groups_count; grp++) {
        const uint8_t *gd = blocks[g.first_data_block + 1 + grp / g.desc_per_block] + (grp % g.desc_per_block) * 32;
        if (!guest_ext2_check_group_desc(sb, &g, grp, gd))
            return 0;
        uint32_t itable = get32(gd + 8);
        uint32_t itb = (g.inodes_per_group + g.inodes_per_block - 1) / g.inodes_per_block;
        if (itable + itb > blocks_count)
            abort();
    }
    /* inode numbers the kernel may be asked for: the first ones (the root,
     * the reserved ones, s_first_ino) and the last ones (up to one past
     * s_inodes_count), where the arithmetic has its edges; all of them made
     * each input ten times slower under the fuzzer's comparison hooks */
    uint32_t inodes = guest_ext2_sb_inodes_count(sb);
    const uint8_t *root = NULL;
    for (uint32_t ino = 0; ino <= inodes + 1; ino = ino == 32 && inodes > 64 ? inodes - 31 : ino + 1) {
        uint32_t grp, blk, off;
        if (guest_ext2_inode_index(sb, &g, ino, &grp, &blk, &off))
            continue;
        if (grp >= g.groups_count || off + g.inode_size > BS)
            abort();
        const uint8_t *gd = blocks[g.first_data_block + 1 + grp / g.desc_per_block] + (grp % g.desc_per_block) * 32;
        uint32_t b = get32(gd + 8) + blk;
        if (b >= blocks_count)
            abort();
        if (ino == 2)
            root = blocks[b] + off;
    }
    if (!root || (get16(root) & 0xF000) != 0x4000 || !get16(root + 26))
        return 0;                       /* "corrupt root inode" */
    /* a lookup in the root directory: its direct blocks, entry by entry */
    unsigned sum = 0;
    for (unsigned i = 0; i < 12; i++) {
        uint32_t b = get32(root + 40 + 4 * i);
        if (!b || b >= blocks_count)
            continue;                   /* a hole, or a pointer the kernel refuses */
        const uint8_t *blk = blocks[b];
        for (unsigned off = 0; off < BS;) {
            const uint8_t *de = blk + off;
            if (!guest_ext2_dir_entry_ok(de, off))
                break;
            uint16_t rec_len = get16(de + 4);
            uint8_t name_len = de[6];
            for (unsigned k = 0; k < name_len; k++)
                sum += de[8 + k];       /* the name, as name_is reads it */
            off += rec_len;
        }
    }
    return (int)(sum & 0);
}
