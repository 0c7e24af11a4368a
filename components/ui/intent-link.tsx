"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

/**
 * A link that prefetches its page when the pointer or keyboard focus comes to it, not as soon as it is on screen
 * (Next's default). For links that are on screen while a page is still loading: the nav bar's six sent twelve
 * prefetch requests per page load and loaded the prefetched pages' script chunks (one of them 123 KB) while the page
 * itself was loading and hydrating (on a 10,000-node tree page, over 20 alternated loads: ~110 ms of the browser's
 * CPU and ~40 ms of the server's per load, first render ~45 ms later), and the tree page's link back to its experiment had the server
 * render that page's prefetch while the tree was being laid out and drawn.
 */
export function IntentLink({ href, ...props }: Omit<ComponentProps<typeof Link>, "href" | "prefetch"> & { href: string }) {
  const router = useRouter();
  const prefetch = () => router.prefetch(href);
  return <Link {...props} href={href} prefetch={false} onMouseEnter={prefetch} onFocus={prefetch} onTouchStart={prefetch} />;
}
