import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppProviders } from "@/components/app-providers";
import { NavBar } from "@/components/nav-bar";
import "./globals.css";

export const metadata: Metadata = {
  title: "O1-Coder Studio",
  description: "Launch, watch and export O1-CODER style MCTS code-reasoning experiments.",
  // Declared so browsers ask for it instead of /favicon.ico (a 404 on every page otherwise).
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <AppProviders>
          <NavBar />
          <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
        </AppProviders>
      </body>
    </html>
  );
}
