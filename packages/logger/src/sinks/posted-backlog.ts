/**
 * The frames the producer thread has posted to the writer thread and the writer has not
 * yet written, as the producer sees them: how many bytes, and since when the oldest of them
 * has waited. The writer's side of it is its progress (bytes written, in posting order).
 */
export class PostedBacklog {
  private posted = 0;
  /** Each post: the posted total after it, and when its oldest frame was logged (performance.now()). */
  private posts: { end: number; since: number }[] = [];
  private head = 0;

  add(bytes: number, since: number): void {
    this.posted += bytes;
    this.posts.push({ end: this.posted, since });
  }

  /** Bytes still to write, given the writer's progress; forgets the posts written entirely. */
  unwritten(written: number): number {
    while (this.head < this.posts.length && this.posts[this.head].end <= written) this.head++;
    if (this.head > 64 && this.head * 2 > this.posts.length) {
      this.posts = this.posts.slice(this.head);
      this.head = 0;
    }
    return this.posted - written;
  }

  /** When the oldest frame not yet written was logged, as of the last `unwritten` call; undefined when none waits. */
  oldestSince(): number | undefined {
    return this.posts[this.head]?.since;
  }
}
