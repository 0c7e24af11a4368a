"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";

export function LoopList() {
  const trpc = useTRPC();
  const loops = useQuery({ ...trpc.loops.list.queryOptions(), refetchInterval: 3_000 });
  if (!loops.data?.length) return <p className="text-sm text-slate-500">No loops yet.</p>;
  return (
    <table className="w-full text-sm" data-testid="loop-list">
      <thead className="text-left text-xs text-slate-500">
        <tr>
          <th className="py-1">name</th>
          <th>status</th>
          <th>at</th>
          <th>created</th>
        </tr>
      </thead>
      <tbody>
        {loops.data.map((l) => (
          <tr key={l.id} className="border-t border-slate-100">
            <td className="py-1">
              <Link href={`/loops/${l.id}`} className="text-indigo-700 hover:underline">
                {l.name}
              </Link>
            </td>
            <td>{l.status.toLowerCase()}</td>
            <td>{l.stage === "done" ? "done" : `iteration ${l.iteration} · ${l.stage}`}</td>
            <td>{new Date(l.createdAt).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
