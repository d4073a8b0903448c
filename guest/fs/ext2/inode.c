/* ext2 inodes (Linux 2.4's fs/ext2/inode.c): reading and writing them in
 * the inode table, mapping a file's block numbers to volume blocks through
 * the 12 direct pointers and the single, double and triple indirect blocks
 * (allocating on demand), truncation, deletion, and the page I/O of file
 * data for the page cache (readpage, writepage, prepare_write). A page
 * holds 4 blocks; its transfers go out as one request per run of
 * consecutive volume blocks, and the page is unlocked when the last one
 * ends (page->io_pending). Indirect blocks and directories go through the
 * buffer cache. */
#include <kernel.h>
#include "ext2.h"
#include "check.h"
#include <annotate.h>
#include <blkdev.h>
#include <sched.h>
#include <swap.h>

#define BLOCKS_PER_PAGE 4                /* 1 KiB blocks in a page */

/* Where inode ino lives: its inode-table block and byte offset. */
static int inode_location(struct super_block *sb, unsigned long ino, unsigned long *block,
                          unsigned long *offset)
{
    struct ext2_sb_info *sbi = EXT2_SB(sb);
    u32 g, blk, off;
    if (ext2_inode_index(sbi, sbi->s_es->s_inodes_count, ino, &g, &blk, &off))     /* check.c */
        return -EINVAL;
    struct buffer_head *gbh;
    struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, &gbh);
    *block = gd->bg_inode_table + blk;
    *offset = off;
    return 0;
}

int ext2_read_inode(struct inode *inode)
{
    unsigned long block, offset;
    if (inode_location(inode->i_sb, inode->i_ino, &block, &offset))
        return -EINVAL;
    struct buffer_head *bh = bread(inode->i_sb, block);
    if (!bh)
        return -EIO;
    const struct ext2_inode *raw = (const struct ext2_inode *)(bh->b_data + offset);
    if (!raw->i_links_count || !raw->i_mode) {
        brelse(bh);                     /* a free inode: a stale name points at it */
        return -ESTALE;
    }
    inode->i_mode = raw->i_mode;
    inode->i_uid = raw->i_uid | (u32)raw->i_uid_high << 16;
    inode->i_gid = raw->i_gid | (u32)raw->i_gid_high << 16;
    inode->i_nlink = raw->i_links_count;
    inode->i_size = raw->i_size;
    if (S_ISREG(inode->i_mode))
        inode->i_size |= (unsigned long long)raw->i_size_high << 32;
    inode->i_atime = raw->i_atime;
    inode->i_mtime = raw->i_mtime;
    inode->i_ctime = raw->i_ctime;
    inode->i_blocks = raw->i_blocks;
    inode->u.ext2_i.i_dtime = raw->i_dtime;
    inode->u.ext2_i.i_flags = raw->i_flags;
    inode->u.ext2_i.i_block_group = (inode->i_ino - 1) / EXT2_SB(inode->i_sb)->s_inodes_per_group;
    for (int i = 0; i < EXT2_N_BLOCKS; i++)
        inode->u.ext2_i.i_data[i] = raw->i_block[i];
    brelse(bh);
    ext2_set_ops(inode);
    return 0;
}

void ext2_write_inode(struct inode *inode, int sync)
{
    unsigned long block, offset;
    if (inode_location(inode->i_sb, inode->i_ino, &block, &offset))
        return;
    struct buffer_head *bh = bread(inode->i_sb, block);
    if (!bh)
        return;
    struct ext2_inode *raw = (struct ext2_inode *)(bh->b_data + offset);
    u32 generation = raw->i_generation;
    memset(raw, 0, sizeof *raw);
    raw->i_mode = inode->i_mode;
    raw->i_uid = inode->i_uid & 0xFFFF;
    raw->i_uid_high = inode->i_uid >> 16;
    raw->i_gid = inode->i_gid & 0xFFFF;
    raw->i_gid_high = inode->i_gid >> 16;
    raw->i_links_count = inode->i_nlink;
    raw->i_size = (u32)inode->i_size;
    if (S_ISREG(inode->i_mode))
        raw->i_size_high = (u32)(inode->i_size >> 32);
    raw->i_atime = inode->i_atime;
    raw->i_mtime = inode->i_mtime;
    raw->i_ctime = inode->i_ctime;
    raw->i_dtime = inode->u.ext2_i.i_dtime;
    raw->i_blocks = inode->i_blocks;
    raw->i_flags = inode->u.ext2_i.i_flags;
    raw->i_generation = generation;
    for (int i = 0; i < EXT2_N_BLOCKS; i++)
        raw->i_block[i] = inode->u.ext2_i.i_data[i];
    mark_buffer_dirty(bh);
    if (sync)
        ll_rw_buffer_write(bh, 1);
    brelse(bh);
}

/* A symbolic link whose target sits in i_data (no block). */
static int fast_symlink(struct inode *inode)
{
    return S_ISLNK(inode->i_mode) && inode->i_blocks == 0;
}

/* A new block for inode near goal, zeroed through the buffer cache when
 * zero (indirect blocks, directories). 0 and *err on failure. */
static unsigned long new_block(struct inode *inode, unsigned long goal, int zero, int *err)
{
    unsigned long b = ext2_new_block(inode->i_sb, goal, err);
    if (!b)
        return 0;
    inode->i_blocks += inode->i_sb->s_blocksize / 512;
    mark_inode_dirty(inode);
    if (zero) {
        struct buffer_head *bh = getblk(inode->i_sb, b);
        if (!bh) {
            *err = -ENOMEM;
            return b;                   /* allocated all the same; the caller links it */
        }
        memset(bh->b_data, 0, inode->i_sb->s_blocksize);
        set_bit(BH_Uptodate, &bh->b_state);
        mark_buffer_dirty(bh);
        brelse(bh);
    }
    return b;
}

/* The group's first data block: where a file's first block is sought. */
static unsigned long group_goal(struct inode *inode)
{
    struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);
    return sbi->s_first_data_block + inode->u.ext2_i.i_block_group * sbi->s_blocks_per_group;
}

long ext2_get_block(struct inode *inode, unsigned long iblock, int create, int zero_new)
{
    struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);
    unsigned long apb = sbi->s_addr_per_block;
    int depth;
    unsigned long offsets[4];
    /* the path: which pointer at each level */
    if (iblock < EXT2_NDIR_BLOCKS) {
        depth = 0;
        offsets[0] = iblock;
    } else if ((iblock -= EXT2_NDIR_BLOCKS) < apb) {
        depth = 1;
        offsets[0] = EXT2_IND_BLOCK;
        offsets[1] = iblock;
    } else if ((iblock -= apb) < apb * apb) {
        depth = 2;
        offsets[0] = EXT2_DIND_BLOCK;
        offsets[1] = iblock / apb;
        offsets[2] = iblock % apb;
    } else if ((iblock -= apb * apb) < apb * apb * apb) {
        depth = 3;
        offsets[0] = EXT2_TIND_BLOCK;
        offsets[1] = iblock / (apb * apb);
        offsets[2] = iblock / apb % apb;
        offsets[3] = iblock % apb;
    } else {
        return -EFBIG;
    }
    int err = 0;
    unsigned long goal = group_goal(inode);
    unsigned long *islot = &inode->u.ext2_i.i_data[offsets[0]];
    unsigned long block = *islot;
    if (!block) {
        if (!create)
            return 0;
        block = new_block(inode, goal, depth > 0 || zero_new, &err);
        if (!block)
            return err;
        *islot = block;
        mark_inode_dirty(inode);
    }
    for (int level = 1; level <= depth; level++) {
        struct buffer_head *bh = bread(inode->i_sb, block);
        if (!bh)
            return -EIO;
        u32 *p = (u32 *)bh->b_data + offsets[level];
        goal = block + 1;
        if (!*p) {
            if (!create) {
                brelse(bh);
                return 0;
            }
            unsigned long nb = new_block(inode, goal, level < depth || zero_new, &err);
            if (!nb) {
                brelse(bh);
                return err;
            }
            *p = nb;
            mark_buffer_dirty(bh);
        }
        block = *p;
        brelse(bh);
        if (block >= sbi->s_es->s_blocks_count)
            return -EIO;                /* a corrupt pointer */
    }
    return block;
}

/* Free the tree under block (depth levels of indirection; 0: a data block). */
static void free_whole(struct inode *inode, unsigned long block, int depth)
{
    if (depth > 0) {
        struct buffer_head *bh = bread(inode->i_sb, block);
        if (bh) {
            u32 *p = (u32 *)bh->b_data;
            for (unsigned long i = 0; i < EXT2_SB(inode->i_sb)->s_addr_per_block; i++)
                if (p[i])
                    free_whole(inode, p[i], depth - 1);
            brelse(bh);
        }
    }
    ext2_free_blocks(inode->i_sb, block, 1);
    inode->i_blocks -= inode->i_sb->s_blocksize / 512;
}

/* Free the file blocks from index first on in the tree at *slot, which
 * covers file blocks [base, base + apb^depth); returns 1 when nothing is
 * left under it and its block was freed too (the caller clears *slot). */
static int free_tree(struct inode *inode, u32 *slot, int depth, unsigned long base, unsigned long first)
{
    unsigned long apb = EXT2_SB(inode->i_sb)->s_addr_per_block;
    if (!*slot)
        return 1;
    if (first <= base) {
        free_whole(inode, *slot, depth);
        *slot = 0;
        return 1;
    }
    struct buffer_head *bh = bread(inode->i_sb, *slot);
    if (!bh)
        return 0;
    unsigned long span = 1;
    for (int d = 1; d < depth; d++)
        span *= apb;
    u32 *p = (u32 *)bh->b_data;
    int empty = 1, changed = 0;
    for (unsigned long i = 0; i < apb; i++) {
        unsigned long cbase = base + i * span;
        if (!p[i])
            continue;
        if (cbase + span <= first) {
            empty = 0;
            continue;
        }
        u32 child = p[i];
        if (free_tree(inode, &child, depth - 1, cbase, first)) {
            p[i] = 0;
            changed = 1;
        } else {
            empty = 0;
        }
    }
    if (changed)
        mark_buffer_dirty(bh);
    brelse(bh);
    if (!empty)
        return 0;
    ext2_free_blocks(inode->i_sb, *slot, 1);     /* only holes were left before first */
    inode->i_blocks -= inode->i_sb->s_blocksize / 512;
    *slot = 0;
    return 1;
}

void ext2_truncate(struct inode *inode)
{
    if (!(S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) || S_ISLNK(inode->i_mode)) ||
        fast_symlink(inode))
        return;
    unsigned long apb = EXT2_SB(inode->i_sb)->s_addr_per_block;
    unsigned long first = (inode->i_size + inode->i_sb->s_blocksize - 1) >> inode->i_sb->s_blocksize_bits;
    unsigned long *d = inode->u.ext2_i.i_data;
    for (unsigned long i = first; i < EXT2_NDIR_BLOCKS; i++) {
        if (d[i]) {
            ext2_free_blocks(inode->i_sb, d[i], 1);
            inode->i_blocks -= inode->i_sb->s_blocksize / 512;
            d[i] = 0;
        }
    }
    unsigned long base = EXT2_NDIR_BLOCKS, span = apb;
    for (int depth = 1; depth <= 3; depth++) {
        u32 slot = d[EXT2_IND_BLOCK + depth - 1];
        if (base + span > first && free_tree(inode, &slot, depth, base, first))
            d[EXT2_IND_BLOCK + depth - 1] = 0;
        base += span;
        span *= apb;
    }
    inode->i_mtime = inode->i_ctime = current_time();
    mark_inode_dirty(inode);
}

void ext2_delete_inode(struct inode *inode)
{
    inode->u.ext2_i.i_dtime = current_time();
    inode->i_size = 0;
    ext2_truncate(inode);
    ext2_write_inode(inode, 0);
    ext2_free_inode(inode);
}

/* ---- page I/O ---- */

/* end_io of a page's block transfers (interrupt context): the last one
 * unlocks the page. */
static void end_page_io(struct request *rq, int uptodate)
{
    struct page *page = rq->private;
    if (!uptodate)
        SetPageError(page);
    if (--page->io_pending)
        return;
    if (rq->cmd == READ && !PageError(page))
        SetPageUptodate(page);
    if (rq->cmd == WRITE && PageError(page))
        set_page_dirty(page);           /* still only in RAM */
    unlock_page(page);
}

/* Transfer the page's blocks whose volume numbers are in phys (0: none)
 * as runs of consecutive blocks; unlock the page when all are done (at
 * once if none). */
static void page_io(int rw, struct page *page, const unsigned long *phys)
{
    struct super_block *sb = page->mapping->inode->i_sb;
    unsigned long spb = sb->s_blocksize / SECTOR_SIZE;
    unsigned runs = 0;
    for (int i = 0; i < BLOCKS_PER_PAGE; i++)
        runs += phys[i] && (i == 0 || phys[i] != phys[i - 1] + 1);
    ClearPageError(page);
    if (!runs) {
        if (rw == READ)
            SetPageUptodate(page);
        unlock_page(page);
        return;
    }
    page->io_pending = runs;            /* set before any can complete */
    for (int i = 0; i < BLOCKS_PER_PAGE;) {
        if (!phys[i]) {
            i++;
            continue;
        }
        int n = 1;
        while (i + n < BLOCKS_PER_PAGE && phys[i + n] == phys[i] + n)
            n++;
        submit_request(rw, sb->s_dev_start + phys[i] * spb, n * spb,
                       (char *)page_address(page) + i * sb->s_blocksize, end_page_io, page);
        i += n;
    }
}

/* readpage: the page's blocks below i_size that exist are read, the rest
 * (holes, past the end) zeroed. */
static int ext2_readpage(struct page *page)
{
    struct inode *inode = page->mapping->inode;
    unsigned long phys[BLOCKS_PER_PAGE];
    unsigned long long pos = (unsigned long long)page->index << PAGE_SHIFT;
    for (int i = 0; i < BLOCKS_PER_PAGE; i++, pos += 1024) {
        long b = pos < inode->i_size ? ext2_get_block(inode, pos >> 10, 0, 0) : 0;
        phys[i] = b > 0 ? (unsigned long)b : 0;
        if (!phys[i])
            memset((char *)page_address(page) + i * 1024, 0, 1024);
    }
    page_io(READ, page, phys);
    return 0;
}

/* writepage: the page's blocks below i_size go to the disk, allocated now
 * if a shared mapping wrote into a hole. */
static int ext2_writepage(struct page *page)
{
    struct inode *inode = page->mapping->inode;
    unsigned long phys[BLOCKS_PER_PAGE];
    unsigned long long pos = (unsigned long long)page->index << PAGE_SHIFT;
    for (int i = 0; i < BLOCKS_PER_PAGE; i++, pos += 1024) {
        long b = pos < inode->i_size ? ext2_get_block(inode, pos >> 10, 1, 0) : 0;
        if (b < 0) {
            set_page_dirty(page);       /* no room: keep it dirty */
            unlock_page(page);
            return (int)b;
        }
        phys[i] = b;
    }
    vmstat.pgwriteback++;
    annot_writeback(current->pid, inode->i_ino, page->index, page_to_pfn(page));
    page_io(WRITE, page, phys);
    return 0;
}

/* prepare_write: allocate the blocks under [from, to) and make the whole
 * page valid: the blocks the write does not cover wholly are read from the
 * disk, or zeroed when they are holes, new, or past the end. */
static int ext2_prepare_write(struct page *page, unsigned from, unsigned to)
{
    struct inode *inode = page->mapping->inode;
    unsigned long long pos = (unsigned long long)page->index << PAGE_SHIFT;
    int ok = Page_Uptodate(page);
    for (unsigned i = 0; i < BLOCKS_PER_PAGE; i++) {
        unsigned bfrom = i * 1024, bto = bfrom + 1024;
        long b = 0;
        if (bto > from && bfrom < to) {
            b = ext2_get_block(inode, (pos + bfrom) >> 10, 1, 0);
            if (b < 0)
                return (int)b;
        } else if (!ok && pos + bfrom < inode->i_size) {
            b = ext2_get_block(inode, (pos + bfrom) >> 10, 0, 0);
            if (b < 0)
                return (int)b;
        }
        if (ok || (from <= bfrom && to >= bto))
            continue;                   /* valid already, or wholly overwritten */
        char *data = (char *)page_address(page) + bfrom;
        if (b > 0 && pos + bfrom < inode->i_size) {
            unsigned long spb = inode->i_sb->s_blocksize / SECTOR_SIZE;
            int err = block_rw_sync(READ, inode->i_sb->s_dev_start + b * spb, spb, data);
            if (err)
                return err;
        } else {
            memset(data, 0, 1024);
        }
    }
    SetPageUptodate(page);
    return 0;
}

struct address_space_operations ext2_aops = {
    .readpage = ext2_readpage,
    .writepage = ext2_writepage,
    .prepare_write = ext2_prepare_write,
};

void ext2_set_ops(struct inode *inode)
{
    inode->i_data.a_ops = &ext2_aops;
    if (S_ISDIR(inode->i_mode)) {
        inode->i_op = &ext2_dir_inode_operations;
        inode->i_fop = &ext2_dir_operations;
    } else if (S_ISLNK(inode->i_mode)) {
        inode->i_op = &ext2_symlink_inode_operations;
        inode->i_fop = NULL;
    } else {
        inode->i_op = &ext2_file_inode_operations;
        inode->i_fop = &ext2_file_operations;
    }
}
