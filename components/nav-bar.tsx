"use client";

import { usePathname } from "next/navigation";
import { IntentLink } from "./ui/intent-link";

const LINKS = [
  { href: "/experiments", label: "Experiments" },
  { href: "/datasets", label: "Datasets" },
  { href: "/tcg", label: "Tests (TCG)" },
  { href: "/lineages", label: "Lineages" },
  { href: "/loops", label: "Self-play" },
];

export function NavBar() {
  const pathname = usePathname();
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
        <IntentLink href="/" className="font-semibold tracking-tight text-slate-900">
          O1-Coder Studio
        </IntentLink>
        {LINKS.map((link) => {
          const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
          return (
            <IntentLink key={link.href} href={link.href} className={active ? "text-sm font-medium text-indigo-700" : "text-sm text-slate-600 hover:text-slate-900"}>
              {link.label}
            </IntentLink>
          );
        })}
      </nav>
    </header>
  );
}
