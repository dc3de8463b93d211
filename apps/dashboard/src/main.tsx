import { isApiError } from '@edd/api-client';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { queryKeys } from './api/query-keys';
import { App } from './app';
import './styles.css';

const queryClient: QueryClient = new QueryClient({
  // Any 401 means the session ended elsewhere (sign-out, password change, expiry): re-ask who we are.
  queryCache: new QueryCache({
    onError: (error) => {
      if (isApiError(error) && error.status === 401) void queryClient.invalidateQueries({ queryKey: queryKeys.session });
    },
  }),
  defaultOptions: {
    queries: {
      // 4xx answers are final (signed out, forbidden, gone): retry only network trouble and 5xx.
      retry: (failures, error) => failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html lost its #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
