/* Block allocation (Linux 2.4's fs/ext2/balloc.c, without preallocation):
 * each group's block bitmap, its descriptor's free count and the super
 * block's free count change together, so e2fsck finds them consistent. A
 * new block is looked for from the goal in its group, then in the groups
 * after it (wrapping). */
#include <kernel.h>
#include "ext2.h"

struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb, unsigned long g,
                                            struct buffer_head **bh)
{
    struct ext2_sb_info *sbi = EXT2_SB(sb);
    if (g >= sbi->s_groups_count)
        panic("ext2_get_group_desc: group %lu of %lu", g, sbi->s_groups_count);
    *bh = sbi->s_group_desc[g / sbi->s_desc_per_block];
    return (struct ext2_group_desc *)(*bh)->b_data + g % sbi->s_desc_per_block;
}

/* The first clear bit of bitmap in [from, to), or to. */
static unsigned long find_zero_bit(const u8 *bitmap, unsigned long from, unsigned long to)
{
    for (unsigned long b = from; b < to; b++) {
        if ((b & 7) == 0 && bitmap[b >> 3] == 0xFF && b + 8 <= to) {
            b += 7;
            continue;
        }
        if (!(bitmap[b >> 3] & (1u << (b & 7))))
            return b;
    }
    return to;
}

unsigned long ext2_new_block(struct super_block *sb, unsigned long goal, int *err)
{
    struct ext2_sb_info *sbi = EXT2_SB(sb);
    struct ext2_super_block *es = sbi->s_es;
    if (!es->s_free_blocks_count) {
        *err = -ENOSPC;
        return 0;
    }
    if (goal < sbi->s_first_data_block || goal >= es->s_blocks_count)
        goal = sbi->s_first_data_block;
    unsigned long g0 = (goal - sbi->s_first_data_block) / sbi->s_blocks_per_group;
    for (unsigned long k = 0; k <= sbi->s_groups_count; k++) {
        unsigned long g = (g0 + k) % sbi->s_groups_count;
        struct buffer_head *gbh;
        struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, &gbh);
        if (!gd->bg_free_blocks_count)
            continue;
        unsigned long first = sbi->s_first_data_block + g * sbi->s_blocks_per_group;
        unsigned long n = min(sbi->s_blocks_per_group, (unsigned long)es->s_blocks_count - first);
        unsigned long start = k == 0 ? goal - first : 0;
        struct buffer_head *bbh = bread(sb, gd->bg_block_bitmap);
        if (!bbh) {
            *err = -EIO;
            return 0;
        }
        u8 *map = (u8 *)bbh->b_data;
        unsigned long bit = find_zero_bit(map, start, n);
        if (bit == n && start)
            bit = find_zero_bit(map, 0, start);
        if (bit >= n) {
            brelse(bbh);
            continue;                   /* the count said free, the map says not */
        }
        map[bit >> 3] |= 1u << (bit & 7);
        mark_buffer_dirty(bbh);
        brelse(bbh);
        gd->bg_free_blocks_count--;
        mark_buffer_dirty(gbh);
        es->s_free_blocks_count--;
        sb->s_dirt = 1;
        return first + bit;
    }
    *err = -ENOSPC;
    return 0;
}

void ext2_free_blocks(struct super_block *sb, unsigned long block, unsigned long count)
{
    struct ext2_sb_info *sbi = EXT2_SB(sb);
    struct ext2_super_block *es = sbi->s_es;
    for (; count; count--, block++) {
        if (block < sbi->s_first_data_block || block >= es->s_blocks_count) {
            printk("EXT2-fs error: freeing block %lu outside the volume\n", block);
            continue;
        }
        unsigned long g = (block - sbi->s_first_data_block) / sbi->s_blocks_per_group;
        unsigned long bit = (block - sbi->s_first_data_block) % sbi->s_blocks_per_group;
        struct buffer_head *gbh;
        struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, &gbh);
        struct buffer_head *bbh = bread(sb, gd->bg_block_bitmap);
        if (!bbh)
            continue;
        u8 *map = (u8 *)bbh->b_data;
        if (!(map[bit >> 3] & (1u << (bit & 7)))) {
            printk("EXT2-fs error: freeing block %lu, which is already free\n", block);
        } else {
            map[bit >> 3] &= ~(1u << (bit & 7));
            mark_buffer_dirty(bbh);
            gd->bg_free_blocks_count++;
            mark_buffer_dirty(gbh);
            es->s_free_blocks_count++;
            sb->s_dirt = 1;
        }
        brelse(bbh);
    }
}
